"""The worker registers the briefing's search attributes on a namespace that lacks them, and
refuses to start on one where our names mean something else."""

import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from google.protobuf.duration_pb2 import Duration
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
)
from temporalio.api.workflowservice.v1 import RegisterNamespaceRequest
from temporalio.client import Client

from worker.search_attributes import SearchAttributesMissing, ensure_search_attributes, wanted

RETENTION = Duration()
RETENTION.FromTimedelta(timedelta(days=1))


async def new_namespace(temporal_address: str) -> Client:
    namespace = f"ns-{uuid.uuid4().hex[:8]}"
    client = await Client.connect(temporal_address, namespace=namespace)
    await client.workflow_service.register_namespace(
        RegisterNamespaceRequest(namespace=namespace, workflow_execution_retention_period=RETENTION)
    )
    return client


async def namespace_with(
    temporal_address: str, name: str, kind: IndexedValueType.ValueType
) -> Client:
    """A new namespace where one of our names is already taken, with this type."""
    client = await new_namespace(temporal_address)
    await client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(namespace=client.namespace, search_attributes={name: kind})
    )
    return client


async def custom_attributes(client: Client) -> dict[str, int]:
    listed = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace=client.namespace)
    )
    return dict(listed.custom_attributes)


async def test_a_namespace_without_them_gets_them_and_a_second_worker_changes_nothing(
    temporal_address,
):
    client = await new_namespace(temporal_address)
    assert not set(wanted()) & set(await custom_attributes(client))

    await ensure_search_attributes(client)
    registered = await custom_attributes(client)
    assert {name: registered[name] for name in wanted()} == wanted()
    assert registered["BriefingTopic"] == IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD
    assert registered["BriefingTokens"] == IndexedValueType.INDEXED_VALUE_TYPE_INT

    await ensure_search_attributes(client)
    assert await custom_attributes(client) == registered


async def test_a_name_taken_with_another_type_stops_the_worker_saying_which(temporal_address):
    client = await namespace_with(
        temporal_address, "BriefingTopic", IndexedValueType.INDEXED_VALUE_TYPE_INT
    )
    with pytest.raises(SearchAttributesMissing, match="BriefingTopic is INDEXED_VALUE_TYPE_INT"):
        await ensure_search_attributes(client)


async def test_briefing_worker_on_such_a_namespace_exits_with_the_reason(temporal_address):
    client = await namespace_with(
        temporal_address, "BriefingOutcome", IndexedValueType.INDEXED_VALUE_TYPE_TEXT
    )
    environment = os.environ | {
        "TEMPORAL_ADDRESS": temporal_address,
        "TEMPORAL_NAMESPACE": client.namespace,
    }
    done = subprocess.run(
        [str(Path(sys.executable).parent / "briefing"), "worker"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert (
        "cannot start" in done.stderr
        and "BriefingOutcome is INDEXED_VALUE_TYPE_TEXT" in done.stderr
    )
