"""/api/comparisons: start one request on both engines, and read how each side is doing."""

from typing import Annotated

from fastapi import APIRouter, Header, Request, Response, status

from web.api_errors import TemporalRoute
from web.api_starts import answer_start
from web.comparisons.schemas import ComparisonCreate, ComparisonCreated, ComparisonView
from web.deps import ComparisonService
from web.limits.visitors import start_charge

# Every route calls Temporal: its outage is one 503 for all of them (web/api_errors.py).
router = APIRouter(prefix="/api/comparisons", tags=["comparisons"], route_class=TemporalRoute)


@router.post("", status_code=status.HTTP_202_ACCEPTED, response_model=ComparisonCreated)
async def create_comparison(
    create: ComparisonCreate,
    request: Request,
    comparisons: ComparisonService,
    response: Response,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> ComparisonCreated:
    # A comparison starts two briefings' worth of work: it costs a start token as one does.
    with start_charge(request) as charge:
        started = await comparisons.start(create, idempotency_key)
        # As POST /api/briefings answers: `url` and Location are this API's own resource.
        url = f"/api/comparisons/{started.comparison.id}"
        answer_start(response, charge, is_new=started.is_new, url=url)
    return started.comparison.model_copy(update={"url": url})


@router.get("/{comparison_id}", response_model=ComparisonView)
async def read_comparison(comparison_id: str, comparisons: ComparisonService) -> ComparisonView:
    return await comparisons.view(comparison_id)
