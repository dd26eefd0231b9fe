"""Registering the briefing's search attributes on the namespace before any workflow runs.

A workflow that upserts an attribute the namespace lacks fails its task, again and again, so a
briefing would stall with no word why. `briefing server` registers them at launch and the
compose job does on the cluster; this covers any other server, and says what to do when the
worker may not register them itself (Temporal Cloud: only its own tools can).
"""

import logging
from datetime import timedelta

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
)
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from workflows.search_attributes import BRIEFING_SEARCH_ATTRIBUTES

log = logging.getLogger(__name__)

RPC_TIMEOUT = timedelta(seconds=10)
REGISTER_BY_HAND = (
    "add them with the namespace's own tools (docs/operations.md, 'Finding briefings')"
)


class SearchAttributesMissing(RuntimeError):
    pass


def wanted() -> dict[str, IndexedValueType.ValueType]:
    return {
        key.name: IndexedValueType.ValueType(int(key.indexed_value_type))
        for key in BRIEFING_SEARCH_ATTRIBUTES
    }


async def ensure_search_attributes(client: Client) -> None:
    present = await _present(client)
    clashing = {
        name: kind for name, kind in wanted().items() if name in present and present[name] != kind
    }
    if clashing:
        raise SearchAttributesMissing(
            "the namespace has search attributes of our names but other types: "
            + ", ".join(f"{name} is {IndexedValueType.Name(present[name])}" for name in clashing)
        )
    missing = {name: kind for name, kind in wanted().items() if name not in present}
    if not missing:
        return
    try:
        await client.operator_service.add_search_attributes(
            AddSearchAttributesRequest(namespace=client.namespace, search_attributes=missing),
            timeout=RPC_TIMEOUT,
        )
    except RPCError as error:
        if error.status == RPCStatusCode.ALREADY_EXISTS:  # another worker was quicker
            return
        raise SearchAttributesMissing(
            f"namespace {client.namespace!r} lacks the search attributes "
            f"{', '.join(missing)} and the worker may not add them ({error.message}); "
            f"{REGISTER_BY_HAND}"
        ) from error
    log.info("registered search attributes %s on %r", ", ".join(missing), client.namespace)


async def _present(client: Client) -> dict[str, IndexedValueType.ValueType]:
    try:
        listed = await client.operator_service.list_search_attributes(
            ListSearchAttributesRequest(namespace=client.namespace), timeout=RPC_TIMEOUT
        )
    except RPCError as error:
        # Temporal's time-skipping test server adds them but cannot list them: adding all
        # finds any already there, though not one of another type.
        if error.status == RPCStatusCode.UNIMPLEMENTED:
            return {}
        raise SearchAttributesMissing(
            f"cannot read the search attributes of namespace {client.namespace!r} "
            f"({error.message}); {REGISTER_BY_HAND}"
        ) from error
    return dict(listed.custom_attributes)
