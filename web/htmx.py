"""What htmx says about a request, and how we answer it."""

from starlette.datastructures import Headers
from starlette.responses import RedirectResponse, Response


def is_htmx(headers: Headers) -> bool:
    # History restores also carry HX-Request but want the whole page.
    return headers.get("hx-request") == "true" and "hx-history-restore-request" not in headers


def redirect(headers: Headers, url: str) -> Response:
    """After a successful POST: htmx navigates on HX-Redirect, a plain form follows the 303."""
    if is_htmx(headers):
        return Response(status_code=200, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)
