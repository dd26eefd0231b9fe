"""GET /healthz: web, Temporal and worker status in one answer."""

from fastapi import APIRouter

from app.dependencies import AppSettings, TemporalClient
from app.health import Health, check_health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
async def healthz(client: TemporalClient, settings: AppSettings) -> Health:
    return await check_health(client, settings)
