"""The demo newsroom: an HTTP server of RSS and Atom feeds and story pages that misbehaves on
request."""

from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI

from core.host_check import HostCheckMiddleware, allowed_host_names
from demo.newsroom import admin_routes, public_routes, story_routes
from demo.newsroom.catalogue import load_catalogue
from demo.newsroom.state import NewsroomState


def create_app(
    *,
    content_dir: Path | None = None,
    now: datetime | None = None,
    public_url: str | None = None,
    allowed_hosts: frozenset[str] | None = None,
) -> FastAPI:
    """Stories are dated against `now` (default: this call), so the newsroom always looks fresh.
    It answers only the Host names in `allowed_hosts` (default: loopback), against DNS rebinding."""
    reference = (now or datetime.now(UTC)).astimezone(UTC)
    # Loaded eagerly: a broken content file should stop the server from starting at all.
    catalogue = load_catalogue(content_dir, reference)
    app = FastAPI(title="Demo newsroom", docs_url="/_admin/docs", redoc_url=None)
    app.state.newsroom = NewsroomState(catalogue=catalogue, now=reference, public_url=public_url)
    app.include_router(public_routes.router)
    app.include_router(story_routes.router)
    app.include_router(admin_routes.router)
    app.add_middleware(HostCheckMiddleware, allowed=allowed_hosts or allowed_host_names())
    return app
