"""What readers and feed clients see: the front page, feeds and a health check."""

import asyncio

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from demo.newsroom.downloads import CountedDownload, trickled_download
from demo.newsroom.fault_responses import malformed_document, oversize_document
from demo.newsroom.faults import Fault, FaultMode
from demo.newsroom.feed_rendering import feed_media_type, render_feed
from demo.newsroom.outlets import OUTLETS, OUTLETS_BY_SLUG, Outlet
from demo.newsroom.pages import index_page
from demo.newsroom.state import Newsroom, NewsroomState, base_url_of

router = APIRouter(tags=["newsroom"])


@router.get("/", response_class=HTMLResponse)
async def front_page(request: Request, newsroom: Newsroom) -> HTMLResponse:
    return HTMLResponse(index_page(newsroom.catalogue, base_url_of(request)))


@router.get("/healthz")
async def health(newsroom: Newsroom) -> dict[str, object]:
    return {"status": "ok", "stories": len(newsroom.catalogue.stories), "outlets": len(OUTLETS)}


@router.get("/feeds/{slug}.xml")
async def feed(slug: str, request: Request, newsroom: Newsroom) -> Response:
    outlet = OUTLETS_BY_SLUG.get(slug)
    if outlet is None:
        raise HTTPException(status_code=404, detail=f"no feed named {slug!r}")
    newsroom.feed_requests[slug] += 1
    fault = newsroom.faults.take(slug)
    base_url = base_url_of(request)
    if fault is None:
        return _feed_response(outlet, newsroom, base_url)
    return await _faulty_feed_response(fault, outlet, newsroom, base_url, request.url.path)


def _feed_document(outlet: Outlet, newsroom: NewsroomState, base_url: str) -> str:
    stories = newsroom.catalogue.for_outlet(outlet.slug)
    return render_feed(outlet, stories, base_url, newsroom.now)


def _feed_response(outlet: Outlet, newsroom: NewsroomState, base_url: str) -> Response:
    return Response(_feed_document(outlet, newsroom, base_url), media_type=feed_media_type(outlet))


async def _faulty_feed_response(
    fault: Fault, outlet: Outlet, newsroom: NewsroomState, base_url: str, path: str
) -> Response:
    media_type = feed_media_type(outlet)
    downloads = newsroom.downloads
    match fault.mode:
        case FaultMode.ERROR:
            return PlainTextResponse("injected fault: internal error", status_code=500)
        case FaultMode.TIMEOUT:
            await asyncio.sleep(fault.seconds or 0)
            return _feed_response(outlet, newsroom, base_url)
        case FaultMode.MALFORMED:
            document = malformed_document(outlet, base_url, newsroom.now)
            return Response(document, media_type=media_type)
        case FaultMode.EMPTY:
            document = render_feed(outlet, [], base_url, newsroom.now)
            return Response(document, media_type=media_type)
        case FaultMode.OVERSIZE:
            chunks = oversize_document(outlet, base_url, newsroom.now, fault.bytes or 0)
            return CountedDownload(chunks, downloads=downloads, path=path, media_type=media_type)
        case FaultMode.SLOW:
            feed_bytes = _feed_document(outlet, newsroom, base_url).encode("utf-8")
            seconds = fault.seconds or 0
            return trickled_download(
                feed_bytes, seconds, downloads=downloads, path=path, media_type=media_type
            )
