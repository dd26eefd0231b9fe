"""Per-client rate limits on starting briefings: 429 with an honest Retry-After, nothing started."""

import uuid

import pytest
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from tests.web.page_client import HTMX, browser, filled_in_form, hidden_fields
from tests.web.security.test_security import assert_never_started
from web.limits.client_address import ClientAddresses
from web.limits.rates import RateLimited, RateLimiter
from web.schedules.service import schedule_id_for


def limited(settings, **limits):
    return settings.model_copy(update=limits)


def new_key() -> str:
    return str(uuid.uuid4())


async def start(web, key: str, topic: str = "science"):
    return await web.post("/api/briefings", json={"topic": topic}, headers={"Idempotency-Key": key})


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_retry_after_is_exactly_when_the_next_request_passes():
    clock = Clock()
    limiter = RateLimiter(2, "things", clock=clock)  # one token every 30 s
    limiter.take("a")
    limiter.take("a")
    with pytest.raises(RateLimited) as refused:
        limiter.take("a")
    assert refused.value.retry_after == 30
    clock.now += 29
    assert limiter.seconds_until_allowed("a") == 1
    clock.now += 1
    limiter.take("a")  # passes exactly when it was told it would
    assert limiter.seconds_until_allowed("b") == 0  # every client has its own bucket


def test_a_refused_request_spends_nothing_and_a_refund_gives_a_token_back():
    limiter = RateLimiter(1, "things", clock=Clock())
    limiter.take("a")
    for _ in range(3):
        with pytest.raises(RateLimited):
            limiter.take("a")
    limiter.refund("a")
    limiter.take("a")


def test_zero_turns_a_limit_off():
    limiter = RateLimiter(0, "things", clock=Clock())
    for _ in range(1000):
        limiter.take("a")
    assert limiter.seconds_until_allowed("a") == 0


def test_forwarded_for_is_believed_only_from_a_trusted_proxy():
    scope = {"client": ("10.0.0.9", 5000), "headers": [(b"x-forwarded-for", b"1.2.3.4, 10.0.0.8")]}
    assert ClientAddresses().of(scope) == "10.0.0.9"
    assert ClientAddresses(["10.0.0.0/24"]).of(scope) == "1.2.3.4"
    assert ClientAddresses(["10.0.0.9"]).of(scope) == "10.0.0.8"  # the hop it vouches for
    assert ClientAddresses(["192.168.0.1"]).of(scope) == "10.0.0.9"


async def test_the_api_refuses_starts_over_the_rate_with_429_and_starts_nothing(
    settings, temporal_client: Client
):
    async with browser(limited(settings, start_rate_per_minute=2)) as web:
        accepted = [await start(web, new_key()) for _ in range(2)]
        key = new_key()
        refused = await start(web, key)
    assert [response.status_code for response in accepted] == [202, 202]
    assert refused.status_code == 429
    seconds = int(refused.headers["retry-after"])
    assert 1 <= seconds <= 30  # 2 a minute: a token every 30 s, less what has refilled since
    assert refused.json() == {
        "error": f"Too many briefings started from your address. Try again in {seconds} seconds."
    }
    await assert_never_started(temporal_client, key)


async def test_repeating_an_idempotency_key_does_not_count_as_another_start(settings):
    async with browser(limited(settings, start_rate_per_minute=2)) as web:
        key = new_key()
        first, again = await start(web, key), await start(web, key)
        second = await start(web, new_key())
        third = await start(web, new_key())
    assert (first.status_code, again.status_code) == (202, 200)
    assert again.headers["idempotent-replayed"] == "true"
    assert second.status_code == 202  # the repeat gave its token back
    assert third.status_code == 429


async def test_an_over_limit_form_comes_back_with_a_banner_and_starts_nothing(
    settings, temporal_client: Client
):
    async with browser(limited(settings, start_rate_per_minute=1)) as web:
        first = await web.post("/briefings", data=await filled_in_form(web, topic="science"))
        form = await filled_in_form(web, topic="culture")
        page = await web.post("/briefings", data=form)
        htmx = await web.post("/briefings", data=form, headers=HTMX)
    assert first.status_code == 303
    for refused in (page, htmx):
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert '<p class="banner error" role="alert">Too many briefings started' in refused.text
        assert "Nothing was started and your choices are kept" in refused.text
        assert 'value="culture"' in refused.text
    assert "<html" in page.text and "<html" not in htmx.text  # htmx: the form alone
    await assert_never_started(temporal_client, form["idempotency_key"])


async def test_a_form_refused_for_its_values_costs_no_start(settings):
    async with browser(limited(settings, start_rate_per_minute=1)) as web:
        invalid = await web.post("/briefings", data=await filled_in_form(web, topic=""))
        valid = await web.post("/briefings", data=await filled_in_form(web, topic="science"))
    assert (invalid.status_code, valid.status_code) == (422, 303)


async def test_each_client_behind_a_trusted_proxy_has_its_own_limit(settings):
    trusted = limited(settings, start_rate_per_minute=1, trusted_proxies=["127.0.0.1"])
    async with browser(trusted) as web:
        first = await web.post(
            "/api/briefings", json={"topic": "a"}, headers={"X-Forwarded-For": "203.0.113.1"}
        )
        same = await web.post(
            "/api/briefings", json={"topic": "b"}, headers={"X-Forwarded-For": "203.0.113.1"}
        )
        other = await web.post(
            "/api/briefings", json={"topic": "c"}, headers={"X-Forwarded-For": "203.0.113.2"}
        )
    assert (first.status_code, same.status_code, other.status_code) == (202, 429, 202)


async def test_without_trusted_proxies_a_forwarded_for_header_changes_nothing(settings):
    async with browser(limited(settings, start_rate_per_minute=1)) as web:
        responses = [
            await web.post(
                "/api/briefings", json={"topic": "a"}, headers={"X-Forwarded-For": address}
            )
            for address in ("203.0.113.1", "203.0.113.2")
        ]
    assert [response.status_code for response in responses] == [202, 429]


async def test_creating_schedules_counts_as_starting(settings, temporal_client: Client):
    # One day, so every field is one string (httpx sends "days=mon" for "mon" as for ["mon"]).
    plan = {"days": "mon", "time": "07:00", "time_zone": "UTC", "max_stories": "8"}
    async with browser(limited(settings, start_rate_per_minute=1)) as web:
        forms = [
            {**hidden_fields((await web.get("/schedules")).text), **plan, "topic": topic}
            for topic in ("markets", "science")
        ]
        created = await web.post("/schedules", data=forms[0])
        refused = await web.post("/schedules", data=forms[1], headers=HTMX)
    made, refused_id = (schedule_id_for(form["idempotency_key"]) for form in forms)
    assert created.status_code == 303, created.text
    await temporal_client.get_schedule_handle(made).delete()  # so it never fires
    assert refused.status_code == 429 and "retry-after" in refused.headers
    assert "Too many briefings started from your address" in refused.text
    with pytest.raises(RPCError) as never_made:
        await temporal_client.get_schedule_handle(refused_id).describe()
    assert never_made.value.status == RPCStatusCode.NOT_FOUND
