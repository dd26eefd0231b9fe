"""An unknown comparison: a 404 in the API's JSON, or the error page for the browser's routes."""

from fastapi import Request, status
from fastapi.responses import JSONResponse, Response

from web.api_paths import answers_json
from web.comparisons.temporal_reads import ComparisonNotFound
from web.error_pages import error_page


async def comparison_not_found(request: Request, error: Exception) -> Response:
    # Starlette types handlers as taking any Exception; web/app.py registers this for one kind.
    assert isinstance(error, ComparisonNotFound)
    if answers_json(request.url.path):
        return JSONResponse(
            status_code=status.HTTP_404_NOT_FOUND,
            content={"error": f"no comparison with id {error}"},
        )
    message = f"No comparison has the id “{error}”."
    return error_page(request, status.HTTP_404_NOT_FOUND, message, title="Comparison not found")
