"""Security basics: a CSRF token on page forms, a strict CSP, no inline script or style, and
the security headers on every kind of response."""

import re
import time

import httpx
import pytest
from pydantic import SecretStr
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from tests.web.page_client import HTMX, browser, filled_in_form
from web.app import create_app
from web.briefings.ids import idempotent_briefing_id
from web.security.csp import CONTENT_SECURITY_POLICY
from web.security.csrf import COOKIE_NAME, SECURE_COOKIE_NAME, TOKEN_MAX_AGE_SECONDS, CsrfSigner


async def assert_never_started(temporal_client: Client, idempotency_key: str) -> None:
    handle = temporal_client.get_workflow_handle(idempotent_briefing_id(idempotency_key))
    with pytest.raises(RPCError) as raised:
        await handle.describe()
    assert raised.value.status == RPCStatusCode.NOT_FOUND


async def test_a_form_without_its_csrf_token_is_refused_and_starts_nothing(
    settings, temporal_client
):
    async with browser(settings) as web:
        form = await filled_in_form(web, topic="science")
        del form["csrf_token"]
        page = await web.post("/briefings", data=form)
    assert page.status_code == 403
    assert page.headers["content-type"].startswith("text/html")
    assert "This form has expired or did not come from this site" in page.text
    await assert_never_started(temporal_client, form["idempotency_key"])


async def test_a_token_that_is_not_the_cookies_own_is_refused(settings, temporal_client):
    async with browser(settings) as web:
        form = await filled_in_form(web, topic="science", csrf_token="made-up.token")
        page = await web.post("/briefings", data=form)
        htmx = await web.post("/briefings", data=form, headers={**HTMX, "X-CSRF-Token": "x.y"})
    assert page.status_code == htmx.status_code == 403
    assert htmx.headers["HX-Retarget"] == "body"  # htmx shows the refusal as the page
    await assert_never_started(temporal_client, form["idempotency_key"])


async def test_a_cookie_and_token_pair_not_signed_by_us_is_refused(settings, temporal_client):
    async with browser(settings) as web:
        form = await filled_in_form(web, topic="science", csrf_token="forged.pair")
        web.cookies.clear()
        web.cookies.set(COOKIE_NAME, "forged.pair")
        page = await web.post("/briefings", data=form)
    assert page.status_code == 403
    await assert_never_started(temporal_client, form["idempotency_key"])


async def test_the_cookie_is_strict_and_http_only_and_the_page_carries_a_token_for_it(settings):
    async with browser(settings) as web:
        page = await web.get("/")
    cookie = page.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE_NAME}=")
    assert {"HttpOnly", "SameSite=Strict", "Path=/"} <= {part.strip() for part in cookie.split(";")}
    assert "Secure" not in cookie  # plain HTTP on loopback: a Secure cookie would never return
    [token] = re.findall(r'<meta name="csrf-token" content="([^"]+)">', page.text)
    assert f'hx-headers=\'{{"X-CSRF-Token": "{token}"}}\'' in page.text
    value = cookie.split(";")[0].split("=", 1)[1]
    assert token != value  # the cookie never appears in a page that a script could read


async def test_a_token_older_than_its_max_age_is_refused_and_starts_nothing(
    settings, temporal_client
):
    keyed = settings.model_copy(update={"secret_key": SecretStr("the key of this test")})
    signer = CsrfSigner(b"the key of this test")
    async with browser(keyed) as web:
        form = await filled_in_form(web, topic="science")
        issued = time.time() - TOKEN_MAX_AGE_SECONDS - 60
        form["csrf_token"] = signer.token_for(web.cookies[COOKIE_NAME], now=issued)
        page = await web.post("/briefings", data=form)
        fresh = signer.token_for(web.cookies[COOKIE_NAME])
        accepted = await web.post("/briefings", data={**form, "csrf_token": fresh})
    assert page.status_code == 403
    assert "This form has expired" in page.text
    assert accepted.status_code == 303  # the same form, with a token of today, goes through


async def test_a_token_issued_to_another_browser_is_refused(settings, temporal_client):
    # The attacker loads the site, takes the token of their own page and makes the victim's
    # browser post it: the victim's cookie is not the one it was issued to.
    async with browser(settings) as attacker, browser(settings) as victim:
        attackers_form = await filled_in_form(attacker, topic="science")
        victims_form = await filled_in_form(victim, topic="science")
        forged = {**victims_form, "csrf_token": attackers_form["csrf_token"]}
        page = await victim.post("/briefings", data=forged)
    assert page.status_code == 403
    await assert_never_started(temporal_client, victims_form["idempotency_key"])


async def test_over_https_the_cookie_is_host_prefixed_and_secure_and_no_other_is_honoured(
    settings, temporal_client
):
    public = settings.model_copy(update={"public_url": "https://briefing.example.org"})
    async with browser(public) as web:
        page = await web.get("/")
        cookie = page.headers["set-cookie"]
        [token] = re.findall(r'<meta name="csrf-token" content="([^"]+)">', page.text)
        value = cookie.split(";")[0].split("=", 1)[1]
        # A plain-HTTP page or a subdomain can set the unprefixed name; it must count for nothing.
        web.cookies.clear()
        web.cookies.set(COOKIE_NAME, value)
        form = await filled_in_form(web, topic="science")
        refused = await web.post("/briefings", data={**form, "csrf_token": token})
    assert cookie.startswith(f"{SECURE_COOKIE_NAME}=")
    assert {"Secure", "HttpOnly", "SameSite=Strict", "Path=/"} <= {
        part.strip() for part in cookie.split(";")
    }
    assert "Domain" not in cookie
    assert refused.status_code == 403


async def test_replicas_sharing_the_secret_key_accept_each_others_tokens(settings):
    shared = settings.model_copy(update={"secret_key": SecretStr("one key for every replica")})
    other = settings.model_copy(update={"secret_key": SecretStr("some other key")})
    async with browser(shared) as first, browser(shared) as second, browser(other) as third:
        form = await filled_in_form(first, topic="culture")
        for replica in (second, third):
            replica.cookies.set(COOKIE_NAME, first.cookies[COOKIE_NAME])
        accepted = await second.post("/briefings", data=form)
        refused = await third.post("/briefings", data=form)
    assert accepted.status_code == 303
    assert refused.status_code == 403


async def test_the_json_api_takes_no_cookie_and_needs_no_token(settings):
    async with browser(settings) as web:
        response = await web.post("/api/briefings", json={"topic": "science"})
    assert response.status_code == 202
    assert "set-cookie" not in response.headers


async def test_html_pages_carry_a_strict_content_security_policy(settings):
    async with browser(settings) as web:
        responses = [await web.get("/"), await web.get("/no-such-page")]
        api = await web.get("/api/briefings")
    for page in responses:
        policy = page.headers["content-security-policy"]
        assert policy == CONTENT_SECURITY_POLICY
        assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["referrer-policy"] == "same-origin"
    assert "content-security-policy" not in api.headers
    assert api.headers["x-content-type-options"] == "nosniff"


async def test_pages_have_no_inline_script_style_or_event_handler(settings):
    async with browser(settings) as web:
        page = (await web.get("/")).text
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts == [
        '<script src="/static/vendor/htmx.min.js" defer>',
        '<script src="/static/vendor/sse.js" defer>',
    ]
    assert "<style" not in page
    assert not re.search(r"\sstyle=|\son[a-z]+=|hx-on", page)
    assert '"allowEval": false' in page and '"includeIndicatorStyles": false' in page


EVERY_RESPONSE = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}


async def test_every_kind_of_response_carries_the_security_headers(settings):
    strict = settings.model_copy(update={"max_request_bytes": 64, "sse_view_rate_per_minute": 1})
    async with browser(strict) as web:
        created = await web.post("/api/briefings", json={"topic": "science"})
        stream_url = f"/api/briefings/{created.json()['id']}/events"  # no worker: stays open
        async with web.stream("GET", stream_url) as stream:
            stream_headers = stream.headers
        answers = {
            "html": await web.get("/"),
            "json": await web.get("/api/briefings"),
            "static": await web.get("/static/app.css"),
            "404 html": await web.get("/no-such-page"),
            "404 json": await web.get("/api/no-such-thing"),
            "405": await web.put("/api/briefings", json={}),
            "413": await web.post("/api/briefings", json={"topic": "x" * 100}),
            "429": await web.get(stream_url),
            "403": await web.post("/briefings", data={"topic": "science"}),
            "400": await web.get("/", headers={"Host": "attacker.test"}),
        }
    assert stream_headers["content-type"].startswith("text/event-stream")
    codes = [answers[name].status_code for name in list(answers)[3:]]
    assert codes == [404, 404, 405, 413, 429, 403, 400]
    for name, headers in [("sse", stream_headers)] + [(n, a.headers) for n, a in answers.items()]:
        for header, value in EVERY_RESPONSE.items():
            assert headers.get(header) == value, f"{name}: {header}"
        assert "camera=()" in headers["permissions-policy"], name
    for html in ("html", "404 html", "403"):
        assert answers[html].headers["content-security-policy"] == CONTENT_SECURITY_POLICY


async def test_an_unhandled_error_answers_500_with_the_security_headers_too(settings):
    app = create_app(settings)

    async def broken() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/broken", broken)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as web:
        answer = await web.get("/broken")
    assert answer.status_code == 500
    for header, value in EVERY_RESPONSE.items():
        assert answer.headers.get(header) == value, header
