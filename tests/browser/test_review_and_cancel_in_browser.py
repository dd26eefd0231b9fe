"""An editor picks the stories in the page; a reader cancels a briefing from it."""

from playwright.async_api import expect

from tests.browser.test_briefing_in_browser import BRIEFING_TIMEOUT_MS


async def test_the_editor_picks_two_stories_and_the_briefing_has_just_those(stack, page, artifacts):
    stack.wait_until_up()
    await page.goto(stack.url("web"))
    await page.fill("input[name=topic]", "science")
    await page.check("input[name=review]")
    await page.click("button[type=submit]")
    form = page.locator(".review-form")
    await expect(form).to_be_visible(timeout=BRIEFING_TIMEOUT_MS)
    boxes = form.locator("input[name=story_ids]")
    for index in range(await boxes.count()):
        await boxes.nth(index).set_checked(index in (1, 3))
    titles = [await form.locator(".candidate strong").nth(i).inner_text() for i in (1, 3)]
    await form.locator("textarea[name=note]").fill("focus on what it means for patients")
    await page.screenshot(path=artifacts / "briefing-review.png", full_page=True)
    await form.locator("button[type=submit]").click()
    await expect(page.locator("#review")).to_contain_text("The editor chose 2 stories")
    article = page.locator(".briefing-article")
    await expect(article).to_be_visible(timeout=BRIEFING_TIMEOUT_MS)
    assert sorted(await article.locator("h4").all_inner_texts()) == sorted(titles)


async def test_a_reader_cancels_a_running_briefing_and_sees_what_was_done(stack, page):
    stack.wait_until_up()
    await page.goto(stack.url("web"))
    await page.fill("input[name=topic]", "business")
    await page.click("button[type=submit]")
    await page.wait_for_url("**/briefings/briefing-*")
    await expect(page.locator(".step-done").first).to_be_visible(timeout=BRIEFING_TIMEOUT_MS)
    page.once("dialog", lambda dialog: dialog.accept())
    await page.click("[data-action=cancel]")
    status = page.locator("#live-status")
    await expect(status).to_contain_text("cancelled", timeout=BRIEFING_TIMEOUT_MS)
    await expect(page.locator("[data-action=cancel]")).to_have_count(0)
    await expect(page.locator("#cancel-result")).to_contain_text("Cancel requested")
    await expect(page.locator(".step-done").first).to_be_visible()
    await expect(page.locator(".step-running")).to_have_count(0)
