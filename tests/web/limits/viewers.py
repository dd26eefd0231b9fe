"""Viewers of a web served in a thread: raw sockets, so hundreds cost the test little."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from fastapi import FastAPI

from testing.servers import serve_in_thread
from web.app import create_app

STREAM = {"Accept": "text/event-stream"}


class AppClient(httpx.AsyncClient):
    """A client of an app served in a thread, holding the app to read its stream counts."""

    def __init__(self, app: FastAPI, base_url: str) -> None:
        super().__init__(base_url=base_url, timeout=15)
        self.app = app

    @property
    def open_streams(self) -> int:
        return self.app.state.visitor_limits.capacity.open_streams


@asynccontextmanager
async def served(settings) -> AsyncIterator[AppClient]:
    app = create_app(settings)
    with serve_in_thread(app) as url:
        async with AppClient(app, url) as client:
            yield client


@dataclass
class RawViewer:
    status: int
    head: bytes
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter

    async def read_until(self, marker: bytes) -> bytes:
        return await asyncio.wait_for(self.reader.readuntil(marker), 15)

    def close(self) -> None:
        self.writer.close()


async def open_viewer(base_url: str, path: str) -> RawViewer:
    """A stream as a browser opens it, from this machine's one address; returns at its headers."""
    address = urlsplit(base_url)
    reader, writer = await asyncio.open_connection(address.hostname, address.port)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: {address.netloc}\r\n"
        "Accept: text/event-stream\r\n\r\n".encode()
    )
    await writer.drain()
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 15)
    return RawViewer(int(head.split(b" ", 2)[1]), head, reader, writer)


async def waiting_briefing(web: httpx.AsyncClient) -> str:
    # No worker polls the test's task queue: the briefing's stream stays open, waiting.
    response = await web.post("/api/briefings", json={"topic": "science"})
    assert response.status_code == 202, response.text
    return response.json()["id"]
