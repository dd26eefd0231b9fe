"""GET /healthz: web, Temporal and worker status in one answer."""

from fastapi import APIRouter

from core.health import Health, check_health
from web.deps import AppSettings, TemporalClient

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
async def healthz(client: TemporalClient, settings: AppSettings) -> Health:
    return await check_health(client, settings)
