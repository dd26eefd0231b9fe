"""A summary writing itself on the briefing page of a real `briefing up`: grown word by word,
rewound when the worker is killed mid-answer, written again by attempt 2, and left on the page
as the activity's result. The JSON stream of the same is tests/stack/test_live_text.py."""

import itertools
import os
import re
import signal
from dataclasses import dataclass

import httpx
from playwright.async_api import Locator, Page, expect

from testing.polling import wait_for_async
from tests.browser.test_briefing_in_browser import BRIEFING_TIMEOUT_MS
from tests.stack.test_live_text import WORDS_BEFORE_KILL

BRIEFING_TIMEOUT_SECONDS = BRIEFING_TIMEOUT_MS / 1000
# Faster than the LLM's words reach the page (a heartbeat and a describe, 0.1 s each).
SAMPLE_INTERVAL_SECONDS = 0.03
# Runs in the page: the text each summary step is writing now, and with which attempt.
WRITING_NOW = """
() => Array.from(document.querySelectorAll("li.step[id^='step-summarize-']")).flatMap((step) => {
  const writing = step.querySelector(".step-text-writing");
  if (!writing) return [];
  return [{step: step.id, attempt: Number(writing.dataset.attempt), text: writing.textContent}];
})
"""
LOST_NOTE = re.compile(r"attempt 1 lost after (\d+) words")
# What the step says between attempt 1's words thrown away and attempt 2's first.
WRITING_AGAIN = ("attempt", "2", "will", "write", "it", "again…")


@dataclass(frozen=True)
class Sample:
    step: str
    attempt: int
    words: tuple[str, ...]


class Watcher:
    """Samples of the page's writing steps, kept in the order they were read."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.samples: list[Sample] = []

    async def read(self) -> list[Sample]:
        found = await self.page.evaluate(WRITING_NOW)
        now = [Sample(s["step"], s["attempt"], tuple(s["text"].split())) for s in found]
        self.samples.extend(now)
        return now

    def texts(self, step: str, attempt: int) -> list[tuple[str, ...]]:
        """Each distinct text seen of `step` by `attempt`, in the order seen."""
        seen = (s.words for s in self.samples if (s.step, s.attempt) == (step, attempt))
        return [words for words, _ in itertools.groupby(seen)]


def grew_word_by_word(texts: list[tuple[str, ...]]) -> bool:
    return all(later[: len(earlier)] == earlier for earlier, later in itertools.pairwise(texts))


async def open_briefing(page: Page, base_url: str) -> str:
    """Request a briefing through the API and open its page; its JSON's URL."""
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as api:
        created = await api.post("/api/briefings", json={"topic": "science", "max_stories": 3})
    assert created.status_code == 202, created.text
    await page.goto(f"{base_url}/briefings/{created.json()['id']}")
    return created.json()["url"]


async def kill_mid_summary(watcher: Watcher, worker_pid: int) -> str:
    """Kill -9 the worker once a summary's first attempt shows WORDS_BEFORE_KILL words."""

    async def writing_enough() -> list[Sample]:
        now = await watcher.read()
        return [s for s in now if s.attempt == 1 and len(s.words) >= WORDS_BEFORE_KILL]

    far_enough = await wait_for_async(
        writing_enough,
        BRIEFING_TIMEOUT_SECONDS,
        f"a summary with {WORDS_BEFORE_KILL} words",
        interval=SAMPLE_INTERVAL_SECONDS,
    )
    os.kill(worker_pid, signal.SIGKILL)
    return far_enough[0].step


async def watch_until_done(watcher: Watcher, step: Locator) -> None:
    """Sample the step's text until it is done (done steps write no more)."""

    async def done() -> bool:
        await watcher.read()
        return "step-done" in (await step.get_attribute("class") or "")

    await wait_for_async(
        done, BRIEFING_TIMEOUT_SECONDS, "the summary done", interval=SAMPLE_INTERVAL_SECONDS
    )


async def summary_in_result(base_url: str, briefing_url: str, title: str) -> str:
    """The summary of the story titled `title` in the finished briefing's JSON."""
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as api:
        body = (await api.get(briefing_url)).json()
    assert body["status"] == "completed", body.get("error")
    sections = body["result"]["sections"]
    return {story["title"]: story["summary"] for s in sections for story in s["stories"]}[title]


async def test_a_summary_writes_itself_is_rewound_after_a_kill_and_written_again(
    stack, page, artifacts
):
    pids = stack.wait_until_up()
    base_url = stack.url("web")
    briefing_url = await open_briefing(page, base_url)
    watcher = Watcher(page)
    step_id = await kill_mid_summary(watcher, pids["worker"])
    step = page.locator(f"[id='{step_id}']")
    # Attempt 1 grew word by word until the kill.
    first = watcher.texts(step_id, 1)
    assert len({len(words) for words in first}) >= 2, first
    assert grew_word_by_word(first), first

    # Then its words are shown thrown away: struck out, counted, the start of what it wrote.
    lost = step.locator(".step-lost")
    await expect(lost).to_contain_text(LOST_NOTE, timeout=BRIEFING_TIMEOUT_MS)
    await page.screenshot(path=artifacts / "briefing-summary-rewound.png", full_page=True)
    note = LOST_NOTE.search(await lost.locator(".step-lost-note").inner_text())
    assert note is not None
    assert int(note.group(1)) >= len(first[-1])
    lost_words = tuple((await lost.locator("s").inner_text()).split())
    assert lost_words[: len(first[-1])] == first[-1]

    # Attempt 2 writes in its place, word by word, to the activity's result.
    await watch_until_done(watcher, step)
    retried = [words for words in watcher.texts(step_id, 2) if words != WRITING_AGAIN]
    assert len({len(words) for words in retried}) >= 2, retried
    assert grew_word_by_word(retried), retried
    await expect(step.locator(".step-state")).to_contain_text("attempt 2")
    final = (await step.locator(".step-text").text_content() or "").strip()
    assert grew_word_by_word([*retried, tuple(final.split())]), (retried, final)
    # The offline LLM is deterministic: the words thrown away were the start of that very text.
    assert tuple(final.split())[: len(lost_words)] == lost_words
    await expect(page.locator(".briefing-article")).to_be_visible(timeout=BRIEFING_TIMEOUT_MS)
    title = (await step.locator(".step-label").text_content() or "").strip()
    assert final == await summary_in_result(base_url, briefing_url, title)
