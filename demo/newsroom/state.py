"""What one newsroom server holds in memory, and how routes reach it."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request

from demo.newsroom.catalogue import Catalogue
from demo.newsroom.downloads import DownloadsInFlight
from demo.newsroom.faults import FaultTable


@dataclass
class NewsroomState:
    catalogue: Catalogue
    now: datetime
    faults: FaultTable = field(default_factory=FaultTable)
    feed_requests: Counter[str] = field(default_factory=Counter)
    # Requests of each story's page (or PDF), by story slug.
    page_requests: Counter[str] = field(default_factory=Counter)
    downloads: DownloadsInFlight = field(default_factory=DownloadsInFlight)
    # Where readers' browsers reach us, when that differs from where the worker does
    # (in containers: http://newsroom:8100 for the worker, http://localhost:8100 for people).
    public_url: str | None = None


def _newsroom_state(request: Request) -> NewsroomState:
    return request.app.state.newsroom


Newsroom = Annotated[NewsroomState, Depends(_newsroom_state)]


def base_url_of(request: Request) -> str:
    """The public address if one is set, else the URL this request reached us at."""
    public_url = request.app.state.newsroom.public_url
    return (public_url or str(request.base_url)).rstrip("/")
