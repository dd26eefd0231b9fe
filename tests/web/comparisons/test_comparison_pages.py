"""The comparison pages: started from the home form's second button, two columns, live."""

import re

import pytest

from testing.sse_client import read_until_close
from testing.temporal_dev import free_port
from tests.web.briefings.live_page import swapped
from tests.web.page_client import HTMX, browser, field_error, filled_in_form

pytestmark = pytest.mark.usefixtures("llm_admin")
COLUMNS = ('class="comparison-column column-durable"', 'class="comparison-column column-plain"')


async def test_the_home_form_offers_to_compare_and_what_to_do_after_a_crash(settings):
    async with browser(settings) as web:
        page = (await web.get("/")).text
    assert 'formaction="/comparisons"' in page
    assert "Compare: with and without Temporal" in page
    assert 'name="after_crash" value="lost" checked' in page
    assert 'name="after_crash" value="rerun">' in page


async def test_the_form_sent_with_compare_redirects_to_the_comparison_it_started(
    comparison_settings,
):
    async with browser(comparison_settings) as web:
        form = await filled_in_form(web, topic="science", max_stories="2", after_crash="rerun")
        response = await web.post("/comparisons", data=form)
        comparison_url = response.headers["location"]
        view = (await web.get(f"/api{comparison_url}")).json()
    assert response.status_code == 303
    # Named by the form's idempotency key: sent twice, it is still one comparison.
    assert re.fullmatch(r"/comparisons/comparison-key-[0-9a-f]{20}", comparison_url)
    assert view["topic"] == "science" and view["after_crash"] == "rerun"


async def test_the_same_form_sent_twice_starts_one_comparison(comparison_settings):
    async with browser(comparison_settings) as web:
        form = await filled_in_form(web, topic="science", max_stories="2")
        first = await web.post("/comparisons", data=form)
        again = await web.post("/comparisons", data=form)
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == again.headers["location"]


async def test_an_htmx_compare_is_sent_on_with_hx_redirect(comparison_settings):
    async with browser(comparison_settings) as web:
        form = await filled_in_form(web, topic="tech", max_stories="2")
        token = form.pop("csrf_token")
        response = await web.post(
            "/comparisons", data=form, headers={**HTMX, "X-CSRF-Token": token}
        )
    assert response.status_code == 200
    assert response.headers["HX-Redirect"].startswith("/comparisons/comparison-")


async def test_a_compare_without_its_csrf_token_is_refused(settings):
    async with browser(settings) as web:
        form = await filled_in_form(web, topic="science")
        del form["csrf_token"]
        response = await web.post("/comparisons", data=form)
    assert response.status_code == 403


async def test_invalid_values_come_back_on_the_home_page_with_a_message_each(settings):
    async with browser(settings) as web:
        form = await filled_in_form(web, topic="", sources=[], after_crash="retry")
        page = await web.post("/comparisons", data=form)
    assert page.status_code == 422
    assert "<html" in page.text and "Recent briefings" in page.text
    assert field_error(page.text, "topic")
    assert field_error(page.text, "sources") == "Choose at least one source."
    assert "lose the run or rerun it" in field_error(page.text, "after_crash")


async def test_with_htmx_the_form_alone_comes_back_with_the_crash_choice_kept(settings):
    async with browser(settings) as web:
        form = await filled_in_form(web, topic="", after_crash="rerun")
        page = await web.post("/comparisons", data=form, headers=HTMX)
    assert page.status_code == 422
    assert page.text.lstrip().startswith('<form class="briefing-form"')
    assert field_error(page.text, "topic")
    assert 'name="after_crash" value="rerun" checked' in page.text


async def test_a_compare_while_temporal_is_unreachable_keeps_what_was_typed(settings):
    offline = settings.model_copy(update={"temporal_address": f"127.0.0.1:{free_port()}"})
    async with browser(offline) as web:
        form = await filled_in_form(web, topic="renewable energy", after_crash="rerun")
        page = await web.post("/comparisons", data=form)
    assert page.status_code == 503
    assert "Temporal is unreachable, so the comparison was not started" in page.text
    assert 'value="renewable energy"' in page.text
    assert 'name="after_crash" value="rerun" checked' in page.text


async def test_a_started_comparison_page_shows_both_columns_and_connects_to_its_events(
    comparison_settings,
):
    async with browser(comparison_settings) as web:
        created = (await web.post("/api/comparisons", json={"topic": "<b>science</b>"})).json()
        page = await web.get(f"/comparisons/{created['id']}")
    assert page.status_code == 200
    assert all(column in page.text for column in COLUMNS)
    assert f'sse-connect="/comparisons/{created["id"]}/events"' in page.text
    assert 'sse-swap="columns"' in page.text and 'sse-close="close"' in page.text
    assert f'href="/briefings/{created["durable_id"]}"' in page.text
    assert "<b>science</b>" not in page.text
    assert "request log" in page.text and "Both ledgers come from the LLM" in page.text


async def test_an_unknown_comparison_is_an_html_404_page(settings):
    async with browser(settings) as web:
        page = await web.get("/comparisons/comparison-000000000000")
    assert page.status_code == 404
    assert "Comparison not found" in page.text


async def test_watched_to_its_end_the_page_shows_both_briefings_and_the_stream_closes(
    comparison_settings, comparison_worker
):
    async with browser(comparison_settings) as web:
        created = (
            await web.post("/api/comparisons", json={"topic": "tech", "max_stories": 2})
        ).json()
        page = (await web.get(f"/comparisons/{created['id']}")).text
        frames = await read_until_close(web, f"/comparisons/{created['id']}/events")
        reloaded = (await web.get(f"/comparisons/{created['id']}")).text
    assert frames[-1].event == "close"
    columns = [frame for frame in frames if frame.event == "columns"]
    assert columns and len({frame.data for frame in columns}) == len(columns)  # only changes
    watched = swapped(page, frames)
    for shown in (watched, reloaded):
        assert "Finished: both sides have ended" in shown
        assert shown.count('class="column-briefing"') == 2
        assert shown.count("Completed in") == 2
        assert "step-running" not in shown  # the plain side's steps as it finished them too
    assert "sse-connect" not in reloaded
