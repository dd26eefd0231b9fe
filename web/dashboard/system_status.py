"""Which processes are up: asked of Temporal, of our own servers and, under `briefing up`,
of the supervisor that runs them."""

import os
from datetime import datetime, timedelta

import httpx
from pydantic import BaseModel
from temporalio.api.workflowservice.v1 import GetSystemInfoRequest
from temporalio.client import Client
from temporalio.service import RPCError

from core.workers import Component

RPC_TIMEOUT = timedelta(seconds=2)


class SystemStatus(BaseModel):
    components: list[Component]
    workers: list[Component]
    checked_at: datetime


async def temporal_component(client: Client) -> Component:
    try:
        info = await client.workflow_service.get_system_info(
            GetSystemInfoRequest(), timeout=RPC_TIMEOUT
        )
    except (RPCError, RuntimeError) as error:
        return Component(name="Temporal server", up=False, detail=f"unreachable: {error}")
    return Component(name="Temporal server", up=True, detail=f"version {info.server_version}")


async def http_component(http: httpx.AsyncClient, name: str, url: str) -> Component:
    try:
        response = await http.get(url)
    except httpx.HTTPError as error:
        return Component(name=name, up=False, detail=f"unreachable: {type(error).__name__}")
    if response.status_code != 200:
        return Component(name=name, up=False, detail=f"answered HTTP {response.status_code}")
    return Component(name=name, up=True, detail=url.rsplit("/", 1)[0])


def web_component() -> Component:
    return Component(name="web", up=True, detail="serving this page", pid=os.getpid())
