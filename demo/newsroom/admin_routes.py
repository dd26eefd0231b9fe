"""The chaos controls and request counts, for presenters, tests and the dashboard."""

from fastapi import APIRouter, HTTPException, Response, status

from demo.newsroom.faults import ALL_FEEDS, Fault
from demo.newsroom.outlets import OUTLETS, OUTLETS_BY_SLUG
from demo.newsroom.state import Newsroom

router = APIRouter(prefix="/_admin", tags=["admin"])


@router.get("/faults")
async def list_faults(newsroom: Newsroom) -> dict[str, list[Fault]]:
    return {"faults": newsroom.faults.active()}


@router.post("/faults", status_code=status.HTTP_201_CREATED)
async def add_fault(fault: Fault, newsroom: Newsroom) -> Fault:
    return newsroom.faults.add(fault)


@router.delete("/faults", status_code=status.HTTP_204_NO_CONTENT)
async def reset_faults(newsroom: Newsroom) -> Response:
    newsroom.faults.reset()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete("/faults/{feed}", status_code=status.HTTP_204_NO_CONTENT)
async def reset_feed_fault(feed: str, newsroom: Newsroom) -> Response:
    if feed != ALL_FEEDS and feed not in OUTLETS_BY_SLUG:
        raise HTTPException(status_code=404, detail=f"no feed named {feed!r}")
    newsroom.faults.reset(feed)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/requests")
async def request_counts(newsroom: Newsroom) -> dict[str, dict[str, int]]:
    """Requests per feed, and per story page asked for at least once, since start (or the last
    reset), faulty ones included; and per request path, the streamed bodies (slow, oversize)
    going out right now, which no reset clears."""
    return {
        "requests": {outlet.slug: newsroom.feed_requests[outlet.slug] for outlet in OUTLETS},
        "pages": dict(newsroom.page_requests),
        "downloading": newsroom.downloads.snapshot(),
    }


@router.delete("/requests", status_code=status.HTTP_204_NO_CONTENT)
async def reset_request_counts(newsroom: Newsroom) -> Response:
    newsroom.feed_requests.clear()
    newsroom.page_requests.clear()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
