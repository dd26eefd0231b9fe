"""Our clients drop an idle connection before our servers close it, so that no request is ever
sent on a connection the server is closing that instant ("Server disconnected without sending a
response", met once by the crash matrix in CI)."""

import asyncio

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from activities.llm.client import build_openai_client
from core.keep_alive import CLIENT_KEEP_ALIVE_SECONDS, SERVER_KEEP_ALIVE_SECONDS
from testing.servers import serve_in_thread
from web.server_limits import KEEP_ALIVE_SECONDS


def peers_app(peers: list[tuple[str, int]]) -> Starlette:
    """An OpenAI-shaped model list that notes each request's TCP peer: a new port, a new
    connection."""

    async def models(request: Request) -> JSONResponse:
        assert request.client is not None
        peers.append((request.client.host, request.client.port))
        return JSONResponse({"object": "list", "data": []})

    return Starlette(routes=[Route("/v1/models", models)])


def test_clients_let_go_well_before_the_servers_do() -> None:
    assert KEEP_ALIVE_SECONDS == SERVER_KEEP_ALIVE_SECONDS
    assert CLIENT_KEEP_ALIVE_SECONDS <= SERVER_KEEP_ALIVE_SECONDS / 2


async def test_the_llm_client_reuses_a_fresh_connection_and_drops_an_idle_one() -> None:
    peers: list[tuple[str, int]] = []
    with serve_in_thread(peers_app(peers)) as url:
        llm = build_openai_client(api_key="local", base_url=f"{url}/v1", timeout=5.0)
        await llm.models.list()
        await llm.models.list()
        await asyncio.sleep(CLIENT_KEEP_ALIVE_SECONDS + 0.5)  # the server would still keep it
        await llm.models.list()
        await llm.close()
    assert peers[0] == peers[1]
    assert peers[2] != peers[1]
