"""A finished briefing as a file to keep: Markdown, or one standalone HTML page.

Served at /briefings/{id}/export.md and /export.html (web/briefings/pages.py).
"""

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.responses import Response
from temporalio.client import Client

from activities.models import Briefing
from core.domain import RunStatus
from core.settings import Settings
from core.temporal_errors import temporal_call
from web.exports.filenames import attachment
from web.exports.finished import (
    BriefingNotFinished,
    FinishedBriefings,
    finished_briefing,
    finished_briefings,
)
from web.exports.public_links import public_route_link
from web.page_context import render_html

# The standalone file carries its own <style> and nothing else: no script, font, frame or fetch.
# The same policy travels inside the file (a <meta>, where frame-ancestors would be ignored).
DOCUMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
STANDALONE_CSP = f"{DOCUMENT_CSP}; frame-ancestors 'none'"
Finished = Annotated[FinishedBriefings, Depends(finished_briefings)]


async def markdown_download(client: Client, cache: FinishedBriefings, briefing_id: str) -> Response:
    briefing = await _finished(client, cache, briefing_id)
    return Response(
        briefing.markdown,
        media_type="text/markdown; charset=utf-8",
        headers=attachment(briefing, "md"),
    )


async def standalone_html_download(
    request: Request, client: Client, settings: Settings, cache: FinishedBriefings, briefing_id: str
) -> Response:
    briefing = await _finished(client, cache, briefing_id)
    document = render_html(
        "export_standalone.html",
        briefing=briefing,
        page_url=public_route_link(settings, request, "briefing_page", briefing_id=briefing_id),
        csp=DOCUMENT_CSP,
    )
    headers = {**attachment(briefing, "html"), "Content-Security-Policy": STANDALONE_CSP}
    return Response(document, media_type="text/html; charset=utf-8", headers=headers)


async def _finished(client: Client, cache: FinishedBriefings, briefing_id: str) -> Briefing:
    try:
        async with temporal_call():
            return await finished_briefing(client, cache, briefing_id)
    except BriefingNotFinished as unfinished:
        # A 409 page (web/error_pages.py) that says why there is nothing to download yet.
        raise HTTPException(status.HTTP_409_CONFLICT, _not_finished(unfinished.status)) from None


def _not_finished(run_status: RunStatus) -> str:
    if run_status == RunStatus.RUNNING:
        return "This briefing is not finished yet: its downloads are ready once it completes."
    state = run_status.value.replace("_", " ")
    return f"This briefing did not complete ({state}), so there is nothing to download."
