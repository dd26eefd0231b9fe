"""Another site's page cannot make a browser change anything here: forged cross-site requests,
replayed with the headers a browser sends, with and without a stolen CSRF token."""

import httpx
import pytest

from tests.web.page_client import browser, cancel_requested, filled_in_form, hidden_fields
from web.security.origin_check import CROSS_SITE, NOT_JSON

ATTACKER = "http://attacker.test"
JSON = {"Content-Type": "application/json"}
# What Chromium sends with a form another site's page submits to us.
CROSS_SITE_FORM = {"Origin": ATTACKER, "Sec-Fetch-Site": "cross-site"}


def own_origin(web: httpx.AsyncClient) -> dict[str, str]:
    return {"Origin": str(web.base_url).rstrip("/"), "Sec-Fetch-Site": "same-origin"}


async def running_briefing(web: httpx.AsyncClient) -> str:
    """A briefing no worker picks up: it runs until cancelled, whatever the test's pace."""
    created = await web.post("/api/briefings", json={"topic": "sport"})
    assert created.status_code == 202, created.text
    return created.json()["id"]


async def csrf_token(web: httpx.AsyncClient) -> str:
    """The token an attacker who could read our pages would have (the one in the page)."""
    page = (await web.get("/")).text
    return hidden_fields(page)["csrf_token"]


@pytest.mark.parametrize(
    ("headers", "status", "message"),
    [
        ({"Origin": ATTACKER, "Content-Type": "multipart/form-data; boundary=x"}, 403, CROSS_SITE),
        ({"Origin": ATTACKER, "Content-Type": "text/plain"}, 403, CROSS_SITE),
        ({"Sec-Fetch-Site": "cross-site"}, 403, CROSS_SITE),
        ({"Origin": "null"}, 403, CROSS_SITE),
        ({}, 415, NOT_JSON),  # no browser's headers and no content type: a form could send it
        ({"Content-Type": "text/plain"}, 415, NOT_JSON),
    ],
)
async def test_a_cross_site_cancel_of_the_json_api_is_refused_and_the_briefing_runs_on(
    settings, temporal_client, headers, status, message
):
    async with browser(settings) as web:
        briefing_id = await running_briefing(web)
        refused = await web.post(f"/api/briefings/{briefing_id}/cancel", headers=headers)
        body = (await web.get(f"/api/briefings/{briefing_id}")).json()
    assert refused.status_code == status
    assert refused.json() == {"error": message}
    assert body["status"] == "running"
    assert not await cancel_requested(temporal_client, briefing_id)


async def test_a_same_origin_cancel_and_a_json_cancel_from_outside_a_browser_work(
    settings, temporal_client
):
    async with browser(settings) as web:
        from_the_page, from_curl = await running_briefing(web), await running_briefing(web)
        by_page = await web.post(f"/api/briefings/{from_the_page}/cancel", headers=own_origin(web))
        by_curl = await web.post(f"/api/briefings/{from_curl}/cancel", headers=JSON)
    assert by_page.status_code == by_curl.status_code == 202
    for briefing_id in (from_the_page, from_curl):
        assert await cancel_requested(temporal_client, briefing_id)


async def test_a_cross_site_briefing_form_is_refused_even_with_a_stolen_token(settings):
    async with browser(settings) as web:
        form = await filled_in_form(web, topic="science")
        refused = [
            await web.post("/briefings", data=form, headers=CROSS_SITE_FORM),
            await web.post("/briefings", data=form, headers={"Sec-Fetch-Site": "same-site"}),
            await web.post("/briefings", data=form, headers={"Origin": "http://localhost:1"}),
        ]
        accepted = await web.post("/briefings", data=form, headers=own_origin(web))
    for page in refused:
        assert page.status_code == 403
        assert page.headers["content-type"].startswith("text/html")
        assert "came from another site" in page.text
    assert accepted.status_code == 303


async def test_a_cross_site_chaos_button_is_refused_and_the_llm_stays_healthy(settings, llm_admin):
    chaos = settings.model_copy(update={"chaos_enabled": True})
    async with browser(chaos) as web:
        stolen = {"mode": "error", "count": "5", "csrf_token": await csrf_token(web)}
        refused = await web.post("/dashboard/chaos/llm", data=stolen, headers=CROSS_SITE_FORM)
        after_attack = llm_admin.get("/faults").json()
        accepted = await web.post("/dashboard/chaos/llm", data=stolen, headers=own_origin(web))
    assert refused.status_code == 403 and "came from another site" in refused.text
    assert after_attack["mode"] is None
    assert accepted.status_code == 200, accepted.text
    assert llm_admin.get("/faults").json()["mode"] == "error"


@pytest.mark.parametrize(
    "path",
    ["/schedules", "/schedules/some-schedule/delete", "/briefings/some-briefing/cancel"],
)
async def test_cross_site_schedule_and_briefing_page_forms_are_refused(settings, path):
    async with browser(settings) as web:
        stolen = {"csrf_token": await csrf_token(web)}
        refused = await web.post(path, data=stolen, headers=CROSS_SITE_FORM)
    assert refused.status_code == 403 and "came from another site" in refused.text


@pytest.mark.parametrize(
    ("host", "origin"),
    [
        ("localhost:{port}", "http://localhost:{port}"),
        ("[::1]:{port}", "http://[::1]:{port}"),
        ("briefing.example.org", "https://briefing.example.org"),  # TLS ends at a proxy
        ("briefing.example.org:443", "https://Briefing.Example.Org"),
        ("127.0.0.1:{port}", "https://briefing.example.org"),  # a proxy that rewrites Host
    ],
)
async def test_the_sites_own_origin_passes_under_any_name_it_is_reached_by(settings, host, origin):
    public = settings.model_copy(update={"public_url": "https://briefing.example.org/"})
    async with browser(public) as web:
        port = web.base_url.port
        headers = {"Host": host.format(port=port), "Origin": origin.format(port=port)}
        answer = await web.post("/api/briefings/no-such-briefing/cancel", headers=headers)
    assert answer.status_code == 404, answer.text  # past the check, to the route


@pytest.mark.parametrize(
    "origin", ["http://127.0.0.1:1", "http://localhost:{port}", "http://briefing.example.org"]
)
async def test_another_port_or_name_of_this_machine_is_another_origin(settings, origin):
    public = settings.model_copy(update={"public_url": "https://briefing.example.org/"})
    async with browser(public) as web:
        headers = {"Origin": origin.format(port=web.base_url.port), **JSON}
        answer = await web.post("/api/briefings/no-such-briefing/cancel", headers=headers)
    assert answer.status_code == 403 and answer.json() == {"error": CROSS_SITE}
