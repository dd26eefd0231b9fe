"""`briefing plain`: the plain agent's HTTP server, a typical agent service without Temporal.

POST /runs starts a briefing in this process and answers at once; GET /runs/{id} says how far
it got. Everything lives in memory: kill the process and its runs are gone (that is the point).
"""

import os
from datetime import UTC, datetime

from fastapi import FastAPI, HTTPException
from fastapi.responses import JSONResponse

from activities.articles.limits import ArticleLimits
from activities.articles.reader import ArticleReader
from activities.fetch import FeedFetcher
from activities.llm.client import Engine, build_openai_client
from activities.plain_runs.models import PlainRunStart
from core.host_check import HostCheckMiddleware
from core.settings import Settings
from plain_agent.agent import PlainAgent
from plain_agent.runs import PlainRuns
from plain_agent.views import PlainRunView

# As many as a demo needs side by side; more is somebody spending our LLM budget.
MAX_RUNNING = 20


def build_agent(settings: Settings) -> PlainAgent:
    """Built as worker.main builds the worker's activities, but with the client's own retries."""
    llm = build_openai_client(
        api_key=settings.llm_api_key,
        base_url=settings.llm_base_url,
        timeout=settings.llm_timeout_seconds,
        engine=Engine.PLAIN,
    )
    reader = ArticleReader(
        settings.feed_hosts_to_trust,
        ArticleLimits(max_bytes=settings.article_max_bytes),
        aliases=settings.page_aliases,
    )
    return PlainAgent(llm, FeedFetcher(settings.feed_hosts_to_trust), reader)


def create_app(agent: PlainAgent, *, allowed_hosts: frozenset[str]) -> FastAPI:
    app = FastAPI(title="Plain agent (no Temporal)", docs_url=None, redoc_url=None)
    runs = PlainRuns(agent)
    started_at = datetime.now(UTC)
    app.add_middleware(HostCheckMiddleware, allowed=allowed_hosts)

    @app.post("/runs", status_code=202, response_model=PlainRunView)
    async def start_run(start: PlainRunStart) -> PlainRunView | JSONResponse:
        if runs.get(start.run_id) is None and runs.running() >= MAX_RUNNING:
            raise HTTPException(429, f"{MAX_RUNNING} runs are already running here")
        view, created = runs.start(start)
        if not created:
            return JSONResponse(view.model_dump(mode="json"), status_code=200)
        return view

    @app.get("/runs/{run_id}", response_model=PlainRunView)
    async def read_run(run_id: str) -> PlainRunView:
        view = runs.get(run_id)
        if view is None:
            raise HTTPException(404, f"no run {run_id} in this process (started {started_at})")
        return view

    @app.get("/healthz", tags=["health"])
    async def health() -> dict[str, object]:
        return {
            "status": "ok",
            "pid": os.getpid(),
            "started_at": started_at.isoformat(),
            "running": runs.running(),
        }

    return app
