"""Request bodies over the limit are refused with 413, declared or streamed, and start nothing."""

import json
import uuid
from collections.abc import AsyncIterator
from urllib.parse import urlencode

from temporalio.client import Client

from core.domain import TOPIC_MAX_CHARS
from tests.web.page_client import HTMX, browser, field_error, filled_in_form
from tests.web.security.test_security import assert_never_started

LIMIT = 2048


def small(settings):
    return settings.model_copy(update={"max_request_bytes": LIMIT})


def oversized_briefing() -> bytes:
    return json.dumps({"topic": "science", "padding": "x" * (2 * LIMIT)}).encode()


async def in_chunks(body: bytes, size: int = 512) -> AsyncIterator[bytes]:
    # An async iterable body: httpx sends it chunked, with no Content-Length.
    for start in range(0, len(body), size):
        yield body[start : start + size]


async def test_a_json_body_declared_too_large_is_refused_with_413_and_starts_nothing(
    settings, temporal_client: Client
):
    key = str(uuid.uuid4())
    async with browser(small(settings)) as web:
        response = await web.post(
            "/api/briefings",
            content=oversized_briefing(),
            headers={"content-type": "application/json", "Idempotency-Key": key},
        )
    assert response.status_code == 413
    assert response.json() == {"error": f"This request is larger than the {LIMIT} bytes accepted."}
    await assert_never_started(temporal_client, key)


async def test_a_chunked_json_body_is_refused_once_it_streams_past_the_limit(
    settings, temporal_client: Client
):
    key = str(uuid.uuid4())
    async with browser(small(settings)) as web:
        response = await web.post(
            "/api/briefings",
            content=in_chunks(oversized_briefing()),
            headers={"content-type": "application/json", "Idempotency-Key": key},
        )
    assert "content-length" not in response.request.headers
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert response.status_code == 413
    assert response.json()["error"] == f"This request is larger than the {LIMIT} bytes accepted."
    await assert_never_started(temporal_client, key)


async def test_an_oversized_page_form_is_refused_with_an_html_413_and_starts_nothing(
    settings, temporal_client: Client
):
    async with browser(small(settings)) as web:
        form = await filled_in_form(web, topic="science", padding="x" * (2 * LIMIT))
        declared = await web.post("/briefings", data=form)
        htmx = await web.post("/briefings", data=form, headers=HTMX)
        body = urlencode(form, doseq=True)
        chunks = in_chunks(body.encode())
        form_type = {"content-type": "application/x-www-form-urlencoded"}
        streamed = await web.post("/briefings", content=chunks, headers=form_type)
        csrf_header = {**form_type, **HTMX, "X-CSRF-Token": form["csrf_token"]}
        read_by_route = await web.post(
            "/briefings", content=in_chunks(body.encode()), headers=csrf_header
        )
    for refused in (declared, htmx, streamed, read_by_route):
        assert refused.status_code == 413
        assert refused.headers["content-type"].startswith("text/html")
        assert "This request is larger than the 2048 bytes accepted." in refused.text
    assert htmx.headers["HX-Retarget"] == "body"  # htmx shows the refusal as the page
    await assert_never_started(temporal_client, form["idempotency_key"])


async def test_a_body_under_the_limit_goes_through(settings):
    async with browser(small(settings)) as web:
        response = await web.post(
            "/api/briefings",
            content=in_chunks(b'{"topic": "science"}', size=4),
            headers={"content-type": "application/json"},
        )
    assert response.status_code == 202


async def test_zero_turns_the_size_limit_off(settings):
    unlimited = settings.model_copy(update={"max_request_bytes": 0})
    async with browser(unlimited) as web:
        response = await web.post("/api/briefings", json={"topic": "x" * 100_000})
    assert response.status_code == 422  # read and judged on its fields, not its size
    assert "topic" in response.json()["fields"]


async def test_form_fields_have_a_maximum_length_checked_by_the_server(settings):
    async with browser(settings) as web:
        form = await filled_in_form(web, topic="x" * (TOPIC_MAX_CHARS + 1))
        page = await web.post("/briefings", data=form)
        home = (await web.get("/")).text
    assert page.status_code == 422
    assert field_error(page.text, "topic") == f"Enter a topic of 1 to {TOPIC_MAX_CHARS} characters."
    assert f'maxlength="{TOPIC_MAX_CHARS}"' in home
