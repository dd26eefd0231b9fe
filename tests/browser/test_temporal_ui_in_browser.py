"""An operator in the Temporal UI of `briefing up`: finds briefings by topic and outcome, reads a
run's activities by name, its search attributes and its current details. The screenshots are
docs/operations.md's (copied from test-artifacts/)."""

from urllib.parse import quote

import httpx
from playwright.async_api import Page, expect

from testing.stack_process import wait_for_briefing

BRIEFING_TIMEOUT_SECONDS = 120
UI_TIMEOUT_MS = 30_000


def workflows_matching(ui: str, query: str) -> str:
    return f"{ui}/namespaces/default/workflows?query={quote(query)}"


async def open_tab(page: Page, ui: str, briefing_id: str, tab: str) -> None:
    await page.goto(f"{ui}/namespaces/default/workflows/{briefing_id}")
    await page.locator(f"[data-testid={tab}-tab]").click()


async def test_an_operator_finds_briefings_by_outcome_and_reads_each_activity(
    stack, page, artifacts
):
    stack.wait_until_up()
    ui = stack.url("ui")
    await page.set_viewport_size({"width": 1400, "height": 900})
    with httpx.Client(base_url=stack.url("web"), timeout=15) as api:
        done = api.post("/api/briefings", json={"topic": "science", "max_stories": 3}).json()
        waiting = api.post(
            "/api/briefings", json={"topic": "climate", "max_stories": 2, "review": True}
        ).json()
        finished = wait_for_briefing(
            api, done["url"], lambda b: b["status"] == "completed", BRIEFING_TIMEOUT_SECONDS
        )
        wait_for_briefing(
            api, waiting["url"], lambda b: b.get("review") is not None, BRIEFING_TIMEOUT_SECONDS
        )
    titles = [story["title"] for s in finished["result"]["sections"] for story in s["stories"]]

    # Visibility lags a moment behind the run: the UI's Refresh asks again.
    await page.goto(
        workflows_matching(ui, "BriefingTopic = 'science' AND BriefingOutcome = 'completed'")
    )
    row = page.get_by_role("link", name=done["id"])
    for _ in range(10):
        if await row.count():
            break
        await page.get_by_role("button", name="Refresh").click()
        await page.wait_for_timeout(1000)
    await expect(row).to_be_visible(timeout=UI_TIMEOUT_MS)
    await expect(page.get_by_role("link", name=waiting["id"])).to_have_count(0)
    await page.screenshot(path=artifacts / "temporal-ui-found-by-outcome.png")

    await page.goto(workflows_matching(ui, "BriefingOutcome = 'awaiting_review'"))
    await expect(page.get_by_role("link", name=waiting["id"])).to_be_visible(timeout=UI_TIMEOUT_MS)
    await expect(page.get_by_role("link", name=done["id"])).to_have_count(0)

    await page.set_viewport_size({"width": 1400, "height": 1350})  # the whole timeline
    await page.goto(f"{ui}/namespaces/default/workflows/{done['id']}")
    for title in titles:
        await expect(page.get_by_text(f"Summarise: {title}")).to_be_visible(timeout=UI_TIMEOUT_MS)
    await expect(page.get_by_text("compose_briefing • Compose")).to_be_visible()
    await page.screenshot(path=artifacts / "temporal-ui-run-timeline.png")
    await page.set_viewport_size({"width": 1400, "height": 900})

    await open_tab(page, ui, done["id"], "search-attributes")
    attributes = page.locator("main")
    for shown in ('"BriefingOutcome": "completed"', '"BriefingTopic": "science"'):
        await expect(attributes).to_contain_text(shown, timeout=UI_TIMEOUT_MS)
    await expect(attributes).to_contain_text(f'"BriefingStories": {len(titles)}')
    await page.screenshot(path=artifacts / "temporal-ui-search-attributes.png")

    await open_tab(page, ui, waiting["id"], "user-metadata")
    # The UI draws each as Markdown in a frame of its own, with typographic quotes.
    summary, details = page.frame_locator("iframe").first, page.frame_locator("iframe").nth(1)
    await expect(summary.get_by_text("Briefing: climate")).to_be_visible(timeout=UI_TIMEOUT_MS)
    await expect(details.get_by_text("waiting for the editor’s review")).to_be_visible()
    await page.screenshot(path=artifacts / "temporal-ui-current-details.png")
