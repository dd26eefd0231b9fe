"""Story pages and report PDFs, the links feeds point at; both misbehave on request."""

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from demo.newsroom import pdf
from demo.newsroom.catalogue import Story
from demo.newsroom.downloads import CountedDownload, trickled_download
from demo.newsroom.fault_responses import malformed_page, padded, with_padding_paragraph
from demo.newsroom.faults import Fault, FaultMode, FaultTarget
from demo.newsroom.pages import not_found_page, story_page
from demo.newsroom.state import Newsroom, NewsroomState, base_url_of

router = APIRouter(prefix="/stories", tags=["stories"])
HTML_MEDIA_TYPE = "text/html; charset=utf-8"


# Declared first: `/{slug}` alone would take `name.pdf` as a slug.
@router.get("/{slug}.pdf")
async def story_report(slug: str, request: Request, newsroom: Newsroom) -> Response:
    """A story the feed links as a PDF (`"link": "pdf"` in its content file)."""
    found = newsroom.catalogue.by_slug(slug)
    if found is None or found.link != "pdf":
        return HTMLResponse(not_found_page("report"), status_code=404)
    newsroom.page_requests[found.slug] += 1
    fault = newsroom.faults.take(found.outlet, FaultTarget.PAGES)
    document = pdf.story_pdf(found)
    if fault is None:
        return Response(document, media_type=pdf.MEDIA_TYPE)
    return await _faulty_report_response(fault, document, newsroom, request.url.path)


async def _faulty_report_response(
    fault: Fault, document: bytes, newsroom: NewsroomState, path: str
) -> Response:
    """A page fault as a PDF means it: error, timeout, slow and empty as for HTML pages,
    malformed cuts the document off halfway (its cross-reference table never comes). Oversize
    has no PDF of its own: the report is served whole, the fault's use spent all the same."""
    match fault.mode:
        case FaultMode.ERROR:
            return PlainTextResponse("injected fault: internal error", status_code=500)
        case FaultMode.TIMEOUT:
            await asyncio.sleep(fault.seconds or 0)
        case FaultMode.MALFORMED:
            document = document[: len(document) // 2]
        case FaultMode.EMPTY:
            document = b""
        case FaultMode.SLOW:
            return trickled_download(
                document,
                fault.seconds or 0,
                downloads=newsroom.downloads,
                path=path,
                media_type=pdf.MEDIA_TYPE,
            )
    return Response(document, media_type=pdf.MEDIA_TYPE)


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
    return await _faulty_page_response(fault, found, newsroom, base_url, request.url.path)


async def _faulty_page_response(
    fault: Fault, story: Story, newsroom: NewsroomState, base_url: str, path: str
) -> Response:
    catalogue = newsroom.catalogue
    downloads = newsroom.downloads
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
            chunks = padded(page, fault.bytes or 0)
            return CountedDownload(
                chunks, downloads=downloads, path=path, media_type=HTML_MEDIA_TYPE
            )
        case FaultMode.SLOW:
            page_bytes = story_page(story, catalogue, base_url).encode("utf-8")
            seconds = fault.seconds or 0
            return trickled_download(
                page_bytes, seconds, downloads=downloads, path=path, media_type=HTML_MEDIA_TYPE
            )
