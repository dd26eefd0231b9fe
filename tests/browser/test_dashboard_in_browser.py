"""A presenter with only a browser: the scenario button, end to end, with screenshots."""

import re

from playwright.async_api import expect

SCENARIO_TIMEOUT_MS = 180_000


async def test_the_scenario_button_runs_the_whole_durability_demo(stack, page, artifacts):
    stack.wait_until_up()
    await page.set_viewport_size({"width": 1200, "height": 1000})
    await page.goto(f"{stack.url('web')}/dashboard")
    await page.click("[data-chaos=scenario]")
    await expect(page.locator("#chaos-result")).to_contain_text("scenario running")

    actions = page.locator("#actions")
    await expect(actions).to_contain_text("killed the worker", timeout=SCENARIO_TIMEOUT_MS)
    worker = page.locator("#system .component", has_text="worker")
    await expect(worker.first).to_have_class(re.compile(r"\bdown\b"), timeout=20_000)
    await page.screenshot(path=artifacts / "dashboard-worker-down.png", full_page=True)

    await expect(actions).to_contain_text("the briefing completed", timeout=SCENARIO_TIMEOUT_MS)
    # Its own card: cards come newest-closed first, and the session's stack is shared, so a
    # briefing another test left running (a comparison's durable side) may close after it.
    started = await actions.get_by_text("scenario: started a briefing").inner_text()
    briefing_id = re.search(r"\((briefing-[0-9a-f]+)\)", started).group(1)
    card = page.locator("#briefings .card").filter(
        has=page.locator(f'a[href="/briefings/{briefing_id}"]')
    )
    await expect(card.locator(".status")).to_have_text("completed", timeout=20_000)
    await expect(card.locator(".tl-completed", has_text="attempt 2").first).to_be_visible()
    preserved = page.locator("#ledger .preserved dd")
    await expect(preserved).not_to_have_text(re.compile(r"^0 activities"), timeout=20_000)
    await page.screenshot(path=artifacts / "dashboard-after-scenario.png", full_page=True)
