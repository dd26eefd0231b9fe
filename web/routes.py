"""Every router of the web app, one per resource: create_app includes this one list.

Each sets its own prefix, and no two share a path, so the order below carries no meaning.
"""

from fastapi import APIRouter

from web import health, home
from web.briefings import api as briefings_api
from web.briefings import pages as briefing_pages
from web.comparisons import api as comparisons_api
from web.comparisons import pages as comparison_pages
from web.dashboard import chaos_routes as dashboard_chaos
from web.dashboard import page_routes as dashboard_pages
from web.exports import feeds as export_feeds
from web.schedules import routes as schedule_pages

RESOURCES = (
    home.router,
    briefing_pages.router,
    briefings_api.router,
    comparison_pages.router,
    comparisons_api.router,
    schedule_pages.router,
    export_feeds.router,
    dashboard_pages.router,
    dashboard_chaos.router,
    health.router,
)


def all_routes() -> APIRouter:
    router = APIRouter()
    for resource in RESOURCES:
        router.include_router(resource)
    return router
