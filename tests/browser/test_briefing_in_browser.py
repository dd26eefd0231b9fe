"""The whole product from a browser: request, watch live, read; survive a dead worker."""

import os
import re
import signal
import time

import pytest
from playwright.async_api import Page, expect

from testing.stack_process import StackProcess

BRIEFING_TIMEOUT_MS = 120_000


async def request_briefing(page: Page, base_url: str, topic: str) -> None:
    await page.goto(base_url)
    await page.fill("input[name=topic]", topic)
    await page.click("button[type=submit]")
    await page.wait_for_url("**/briefings/briefing-*")


@pytest.fixture
def stack(stack_without_restart: StackProcess) -> StackProcess:
    # These tests bring killed parts back themselves, to time and watch the recovery.
    return stack_without_restart


async def kill_mid_summaries(page: Page, stack: StackProcess, part: str, topic: str) -> None:
    """Request a briefing in the page and kill -9 one part once a summary is done."""
    pids = stack.wait_until_up()
    await request_briefing(page, stack.url("web"), topic)
    summary_done = page.locator(".step-done", has_text="summarize").first
    await expect(summary_done).to_be_visible(timeout=BRIEFING_TIMEOUT_MS)
    os.kill(pids[part], signal.SIGKILL)


async def test_a_person_requests_a_briefing_watches_it_built_and_reads_it(stack, page, artifacts):
    stack.wait_until_up()
    await request_briefing(page, stack.url("web"), "science")
    await expect(page.locator(".steps .step").first).to_be_visible()
    await expect(page.locator(".step-done").first).to_be_visible(timeout=BRIEFING_TIMEOUT_MS)
    article = page.locator(".briefing-article")
    await expect(article).to_be_visible(timeout=BRIEFING_TIMEOUT_MS)
    await expect(page.locator(".step-running")).to_have_count(0)
    await expect(article.locator(".lead")).not_to_be_empty()
    await expect(article.locator(".sources a").first).to_have_attribute("href", re.compile("^http"))
    # Each story says which text it was summarised from, and most read their article.
    stories = await article.locator(".story").count()
    await expect(article.locator(".text-source")).to_have_count(stories)
    await expect(article.locator(".text-source-article").first).to_have_text(
        "Summarised from the article"
    )
    await expect(page.locator(".step-done", has_text="read").first).to_be_visible()
    await expect(page.locator("#live-status")).to_contain_text("Completed")
    # Watched to the end without a reload, the page offers nothing left to do to the run.
    await expect(page.locator("[data-action=cancel]")).to_have_count(0)
    await page.screenshot(path=artifacts / "briefing-finished.png", full_page=True)


async def test_with_the_worker_stopped_the_page_says_so_and_finishes_after_it_restarts(
    stack, page, artifacts
):
    await kill_mid_summaries(page, stack, "worker", "science")
    status = page.locator("#live-status")
    await expect(status).to_contain_text("Worker offline", timeout=30_000)
    await page.screenshot(path=artifacts / "briefing-worker-offline.png", full_page=True)
    done_before = await page.locator(".step-done").count()

    restarted_at = time.monotonic()
    worker = stack.start_part("worker")
    try:
        await expect(status).not_to_contain_text("Worker offline", timeout=30_000)
        progress_again = time.monotonic() - restarted_at
        await expect(page.locator(".briefing-article")).to_be_visible(timeout=BRIEFING_TIMEOUT_MS)
        assert await page.locator(".step-done").count() > done_before
        await expect(page.locator(".step-done", has_text="attempt 2").first).to_be_visible()
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    print(f"\npage showed progress again {progress_again:.1f}s after the worker restarted")


async def test_with_temporal_down_the_page_says_so_and_carries_on_when_it_is_back(stack, page):
    await kill_mid_summaries(page, stack, "server", "business")
    status = page.locator("#live-status")
    await expect(status).to_contain_text("Temporal is unreachable", timeout=30_000)
    server = stack.start_part("server")
    try:
        await expect(page.locator(".briefing-article")).to_be_visible(timeout=BRIEFING_TIMEOUT_MS)
        await expect(status).to_contain_text("Completed")
    finally:
        server.terminate()
        server.wait(timeout=20)


async def test_the_finished_briefing_reads_well_on_a_phone(stack, browser, artifacts):
    stack.wait_until_up()
    phone = await browser.new_context(viewport={"width": 360, "height": 780}, is_mobile=True)
    page = await phone.new_page()
    try:
        await request_briefing(page, stack.url("web"), "culture")
        article = page.locator(".briefing-article")
        await expect(article).to_be_visible(timeout=BRIEFING_TIMEOUT_MS)
        overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page is {overflow}px wider than the phone"
        await page.screenshot(path=artifacts / "briefing-phone.png", full_page=True)
        await article.scroll_into_view_if_needed()
        await page.screenshot(path=artifacts / "briefing-phone-article.png")
    finally:
        await phone.close()
