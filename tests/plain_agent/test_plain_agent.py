"""The plain agent's own orchestration, in-process: the workflow's rules without the workflow."""

from activities.articles.reader import ArticleReader
from activities.fetch import FeedFetcher
from activities.llm.client import Engine, build_openai_client
from core.settings import OFFLINE_MODEL
from demo.offline_llm.server import create_app as create_offline_llm
from plain_agent.agent import PlainAgent
from testing.servers import serve_in_thread
from workflows.models import BriefingRequest, BriefingStatus, StepKind


async def test_a_model_that_refuses_for_good_hands_over_to_the_fallback(settings):
    # This LLM knows only the offline model: any other is 404 model_not_found, as OpenAI says.
    with serve_in_thread(create_offline_llm(models=frozenset({OFFLINE_MODEL}))) as url:
        llm = build_openai_client(
            api_key="offline", base_url=f"{url}/v1", timeout=10, engine=Engine.PLAIN
        )
        hosts = settings.feed_hosts_to_trust
        agent = PlainAgent(llm, FeedFetcher(hosts), ArticleReader(hosts))
        request = BriefingRequest(
            topic="science",
            sources=settings.default_sources,
            max_stories=2,
            model="no-such-model",
            fallback_model=OFFLINE_MODEL,
        )
        tracker = agent.tracker(request)
        briefing = await agent.run("fallback-run", request, tracker)

    assert tracker.progress.status == BriefingStatus.COMPLETED
    assert briefing.models == [OFFLINE_MODEL]
    summaries = [s for s in tracker.progress.steps if s.kind == StepKind.SUMMARIZE]
    assert [s.detail.split(" from ")[0] for s in summaries if s.detail] == [
        f"summarised by {OFFLINE_MODEL}"
    ] * 2


async def test_every_source_failing_fails_the_run_and_says_why(settings):
    llm = build_openai_client(api_key="offline", base_url=settings.llm_base_url, timeout=10)
    agent = PlainAgent(llm, FeedFetcher([]), ArticleReader([]))
    # Not trusted: the SSRF guard refuses loopback, as it does for the worker.
    request = BriefingRequest(
        topic="science", sources=settings.default_sources[:2], max_stories=2, model=OFFLINE_MODEL
    )
    tracker = agent.tracker(request)
    try:
        await agent.run("refused-run", request, tracker)
    except Exception as error:  # noqa: BLE001 - the type is the agent's own, checked below
        failure = error
    assert type(failure).__name__ == "PlainRunFailed"
    assert tracker.progress.status == BriefingStatus.FAILED
    assert tracker.progress.error and tracker.progress.error.startswith("every source failed")
    assert len(tracker.progress.failed_sources) == 2
