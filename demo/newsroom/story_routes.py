"""Story pages and report PDFs, the links feeds point at; pages (not PDFs) misbehave on request."""

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response, StreamingResponse

from demo.newsroom import pdf
from demo.newsroom.catalogue import Story
from demo.newsroom.fault_responses import malformed_page, padded, with_padding_paragraph
from demo.newsroom.faults import Fault, FaultMode, FaultTarget
from demo.newsroom.pages import not_found_page, story_page
from demo.newsroom.state import Newsroom, NewsroomState, base_url_of

router = APIRouter(prefix="/stories", tags=["stories"])
HTML_MEDIA_TYPE = "text/html; charset=utf-8"


# Declared first: `/{slug}` alone would take `name.pdf` as a slug.
@router.get("/{slug}.pdf")
async def story_report(slug: str, newsroom: Newsroom) -> Response:
    """A story the feed links as a PDF (`"link": "pdf"` in its content file)."""
    found = newsroom.catalogue.by_slug(slug)
    if found is None or found.link != "pdf":
        return HTMLResponse(not_found_page("report"), status_code=404)
    newsroom.page_requests[found.slug] += 1
    return Response(pdf.story_pdf(found), media_type=pdf.MEDIA_TYPE)


@router.get("/{slug}", response_class=HTMLResponse)
async def story(slug: str, request: Request, newsroom: Newsroom) -> Response:
    found = newsroom.catalogue.by_slug(slug)
    if found is None:
        return HTMLResponse(not_found_page("story"), status_code=404)
    newsroom.page_requests[found.slug] += 1
    fault = newsroom.faults.take(found.outlet, FaultTarget.PAGES)
    base_url = base_url_of(request)
    if fault is None:
        return HTMLResponse(story_page(found, newsroom.catalogue, base_url))
    return await _faulty_page_response(fault, found, newsroom, base_url)


async def _faulty_page_response(
    fault: Fault, story: Story, newsroom: NewsroomState, base_url: str
) -> Response:
    catalogue = newsroom.catalogue
    match fault.mode:
        case FaultMode.ERROR:
            return PlainTextResponse("injected fault: internal error", status_code=500)
        case FaultMode.TIMEOUT:
            await asyncio.sleep(fault.seconds or 0)
            return HTMLResponse(story_page(story, catalogue, base_url))
        case FaultMode.MALFORMED:
            page = story_page(story, catalogue, base_url)
            return HTMLResponse(malformed_page(page, story))
        case FaultMode.EMPTY:
            return HTMLResponse("")
        case FaultMode.OVERSIZE:
            page = story_page(with_padding_paragraph(story), catalogue, base_url)
            return StreamingResponse(padded(page, fault.bytes or 0), media_type=HTML_MEDIA_TYPE)
