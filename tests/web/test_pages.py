"""The home page: a form to request a briefing, and the recent briefings, live and escaped."""

from temporalio.client import Client

from testing.polling import wait_for_async
from testing.temporal_dev import free_port
from tests.web.page_client import (
    HTMX,
    browser,
    checked_sources,
    field_error,
    filled_in_form,
    hidden_fields,
)
from web.briefings.ids import idempotent_briefing_id


async def test_the_home_page_offers_a_form_with_every_configured_source_checked(settings):
    async with browser(settings) as web:
        page = await web.get("/")
    assert page.status_code == 200
    assert checked_sources(page.text) == settings.default_sources
    assert "Lab Notes Weekly" in page.text  # a newsroom feed is labelled with its outlet's name
    assert 'name="topic"' in page.text
    assert 'name="max_stories" type="number" required min="1" max="25"' in page.text
    assert hidden_fields(page.text)["idempotency_key"]


async def test_a_submitted_form_redirects_to_the_page_of_the_briefing_it_started(
    settings, temporal_client: Client
):
    async with browser(settings) as web:
        form = await filled_in_form(web, topic="science", max_stories="3")
        response = await web.post("/briefings", data=form)
    assert response.status_code == 303
    briefing_id = response.headers["location"].removeprefix("/briefings/")
    assert briefing_id == idempotent_briefing_id(form["idempotency_key"])
    description = await temporal_client.get_workflow_handle(briefing_id).describe()
    assert description.workflow_type == "BriefingWorkflow"
    assert await description.memo_value("topic") == "science"


async def test_the_same_form_submitted_twice_starts_one_briefing(settings):
    async with browser(settings) as web:
        form = await filled_in_form(web, topic="sport")
        first = await web.post("/briefings", data=form)
        again = await web.post("/briefings", data=form)
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == again.headers["location"]


async def test_an_htmx_submission_is_sent_on_with_hx_redirect(settings):
    async with browser(settings) as web:
        form = await filled_in_form(web, topic="tech")
        token = form.pop("csrf_token")
        response = await web.post("/briefings", data=form, headers={**HTMX, "X-CSRF-Token": token})
    assert response.status_code == 200
    assert response.headers["HX-Redirect"].startswith("/briefings/briefing-")


async def test_invalid_values_come_back_with_a_message_next_to_each_field(settings):
    async with browser(settings) as web:
        form = await filled_in_form(web, topic="", max_stories="30", sources=[])
        page = await web.post("/briefings", data=form)
    assert page.status_code == 422
    assert "<html" in page.text  # without htmx, the whole page
    assert field_error(page.text, "topic")
    assert field_error(page.text, "sources") == "Choose at least one source."
    assert "from 1 to 25" in field_error(page.text, "max_stories")
    assert 'value="30"' in page.text
    assert checked_sources(page.text) == []


async def test_with_htmx_the_form_alone_comes_back_with_everything_typed_kept(settings):
    long_topic = "ocean " * 40
    async with browser(settings) as web:
        chosen = settings.default_sources[2]
        form = await filled_in_form(web, topic=long_topic, sources=[chosen], max_stories="12")
        page = await web.post("/briefings", data=form, headers=HTMX)
    assert page.status_code == 422
    assert page.text.lstrip().startswith('<form class="briefing-form"')
    assert "200 characters" in field_error(page.text, "topic")
    assert field_error(page.text, "sources") is None
    assert f'value="{long_topic.strip()}"' in page.text
    assert checked_sources(page.text) == [chosen]
    assert 'value="12"' in page.text
    assert hidden_fields(page.text)["idempotency_key"] == form["idempotency_key"]


async def test_the_recent_list_shows_a_started_briefing_with_its_topic_escaped(settings):
    topic = "<script>alert('x')</script> science"
    async with browser(settings) as web:
        await web.post("/api/briefings", json={"topic": topic})
        recent = await wait_for_async(
            lambda: web.get("/briefings/recent"),
            10,
            "the recent list showing the escaped topic",
            until=lambda recent: "&lt;script&gt;" in recent.text,
            interval=0.2,
        )
        page = await web.get("/")
    assert recent.status_code == 200
    assert 'hx-get="/briefings/recent" hx-trigger="every 3s" hx-swap="outerHTML"' in recent.text
    for html in (recent.text, page.text):
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; science" in html
        assert "<script>alert" not in html
    assert 'href="/briefings/briefing-' in recent.text
    assert "status-running" in recent.text
    assert settings.temporal_ui_url in page.text


async def test_the_home_page_says_when_temporal_is_unreachable(settings):
    offline = settings.model_copy(update={"temporal_address": f"127.0.0.1:{free_port()}"})
    async with browser(offline) as web:
        page = await web.get("/")
        css = await web.get("/static/app.css")
    assert page.status_code == 200
    assert "Temporal is unreachable" in page.text
    assert css.status_code == 200


async def test_a_form_posted_while_temporal_is_unreachable_keeps_what_was_typed(settings):
    offline = settings.model_copy(update={"temporal_address": f"127.0.0.1:{free_port()}"})
    async with browser(offline) as web:
        form = await filled_in_form(web, topic="renewable energy", max_stories="5")
        page = await web.post("/briefings", data=form)
    assert page.status_code == 503
    assert "Temporal is unreachable, so the briefing was not started" in page.text
    assert 'value="renewable energy"' in page.text
    assert 'value="5"' in page.text
    assert checked_sources(page.text) == settings.default_sources


async def test_an_unknown_path_is_an_html_page_and_an_unknown_api_path_stays_json(settings):
    async with browser(settings) as web:
        page = await web.get("/no-such-page")
        api = await web.get("/api/no-such-thing")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "There is no page at this address." in page.text
    assert api.status_code == 404
    assert api.json() == {"detail": "Not Found"}


async def test_an_unknown_briefing_is_an_html_404_page_saying_so(settings):
    async with browser(settings) as web:
        page = await web.get("/briefings/briefing-doesnotexist")
        api = await web.get("/api/briefings/briefing-doesnotexist")
    assert page.status_code == 404
    assert "No briefing has the id “briefing-doesnotexist”." in page.text
    assert api.status_code == 404
    assert "briefing-doesnotexist" in api.json()["error"]
