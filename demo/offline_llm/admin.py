"""Admin routes: inject faults on stage, and read the log of calls received."""

from fastapi import APIRouter
from pydantic import BaseModel, Field

from demo.offline_llm.dependencies import FaultsDep, RequestLogDep
from demo.offline_llm.errors import invalid_request
from demo.offline_llm.faults import FAULT_SECONDS_MAX, FaultConfigError, FaultMode

router = APIRouter(prefix="/_admin", tags=["admin"])


class FaultRequest(BaseModel):
    mode: FaultMode
    # None: every call until the faults are reset.
    count: int | None = Field(None, ge=1)
    # Retry-After for rate_limit, sleep before answering for hang.
    seconds: float | None = Field(None, ge=0, le=FAULT_SECONDS_MAX)
    # Pace of generation for slow.
    tokens_per_second: float | None = Field(None, gt=0)
    # Words sent before the connection is closed, for cut.
    words: int | None = Field(None, ge=0)


@router.get("/faults")
async def read_faults(faults: FaultsDep) -> dict[str, object]:
    return faults.snapshot()


@router.post("/faults")
async def inject_fault(fault: FaultRequest, faults: FaultsDep) -> dict[str, object]:
    try:
        faults.inject(
            fault.mode,
            count=fault.count,
            seconds=fault.seconds,
            tokens_per_second=fault.tokens_per_second,
            words=fault.words,
        )
    except FaultConfigError as error:
        raise invalid_request(str(error)) from error
    return faults.snapshot()


@router.delete("/faults")
async def reset_faults(faults: FaultsDep) -> dict[str, object]:
    faults.reset()
    return faults.snapshot()


@router.get("/requests")
async def read_requests(
    request_log: RequestLogDep, run: str | None = None
) -> list[dict[str, object]]:
    """The calls received, oldest first; `run`: only those whose X-Briefing-Run was that."""
    return request_log.entries(run)


@router.delete("/requests")
async def clear_requests(request_log: RequestLogDep) -> dict[str, int]:
    cleared = len(request_log.entries())
    request_log.clear()
    return {"cleared": cleared}
