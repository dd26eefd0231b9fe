"""DNS rebinding and a cross-site form, replayed in Chromium against a whole `briefing up` stack.

Chromium resolves attacker.test to 127.0.0.1, as a rebound name would. The attacker's page is
first served "from the attacker" (Playwright fulfils it without touching the network); its script
then fetches our servers, same-origin with itself, exactly as the issue's attack did.
"""

import asyncio
import json
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from playwright.async_api import Browser, Page
from temporalio.client import Client

from testing.stack_process import StackProcess, is_alive, wait_for_briefing
from tests.browser.conftest import CHROMIUM_ARGS, launched_chromium
from tests.web.page_client import cancel_requested

# Chromium's own Local Network Access checks may stop a page before our servers see it; real
# attacks get around them (and other browsers have none), so they are off: this tests our servers.
ATTACKER_BROWSER_ARGS = [
    *CHROMIUM_ARGS,
    "--host-resolver-rules=MAP attacker.test 127.0.0.1",
    "--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,"
    "PrivateNetworkAccessRespectPreflightResults,HttpsUpgrades",
]
# Runs in the attacker's page: each step's status, reusing any CSRF token a page gave away.
ATTACK_SCRIPT = """
(async (steps) => {
  const statuses = {};
  let token = "";
  for (const step of steps) {
    const headers = token ? {"X-CSRF-Token": token} : {};
    if (step.type) headers["Content-Type"] = step.type;
    try {
      const response = await fetch(step.path, {method: step.method, headers, body: step.body});
      const found = (await response.text()).match(/name="csrf-token" content="([^"]+)"/);
      token = found ? found[1] : token;
      statuses[step.name] = response.status;
    } catch (error) {
      statuses[step.name] = String(error);
    }
  }
  return statuses;
})
"""
JSON = "application/json"  # same-origin, so no preflight stands in the way
KILL_WAIT_SECONDS = 3.0  # the control API signals a part 0.3 s after answering


def step(name: str, method: str, path: str, body: object = None) -> dict:
    if body is None:
        return {"name": name, "method": method, "path": path}
    return {"name": name, "method": method, "path": path, "body": json.dumps(body), "type": JSON}


def attack_steps(briefing_id: str) -> dict[str, list[dict]]:
    fault = {"feed": "*", "mode": "error"}
    return {
        "web": [
            step("read the dashboard and its CSRF token", "GET", "/dashboard"),
            step(
                "kill the worker from the chaos panel", "POST", "/dashboard/chaos/parts/worker/kill"
            ),
            step("list the briefings", "GET", "/api/briefings"),
            step("cancel a running briefing", "POST", f"/api/briefings/{briefing_id}/cancel"),
        ],
        "newsroom": [
            step("read the newsroom's faults", "GET", "/_admin/faults"),
            step("break every feed", "POST", "/_admin/faults", fault),
        ],
        "llm": [
            step("read the LLM's faults", "GET", "/_admin/faults"),
            step("break the LLM", "POST", "/_admin/faults", {"mode": "error"}),
        ],
        "control": [
            step("list the parts", "GET", "/parts"),
            step("kill the worker", "POST", "/parts/worker/kill"),
        ],
    }


async def rebound_attack(browser: Browser, port: int, steps: list[dict]) -> dict[str, object]:
    """The attacker's page at attacker.test:<port>, run once its name points at 127.0.0.1."""
    context = await browser.new_context()
    page = await context.new_page()
    url = f"http://attacker.test:{port}/attack.html"
    await page.route(url, lambda route: route.fulfill(body="<h1>cute cats</h1>"))
    await page.goto(url)
    try:
        return await page.evaluate(ATTACK_SCRIPT, steps)
    finally:
        await context.close()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[StackProcess, dict]]:
    stack = StackProcess(tmp_path_factory.mktemp("rebinding"), restart_delay=1.0)
    try:
        yield stack, stack.wait_until_up()
    finally:
        if stack.process.poll() is None:
            stack.stop()


@pytest.fixture(scope="module")
async def attacker_browser() -> AsyncIterator[Browser]:
    async with launched_chromium(ATTACKER_BROWSER_ARGS) as launched:
        yield launched


def briefing_awaiting_review(stack: StackProcess) -> str:
    """A briefing that waits for its editor, so it is running whenever the attack comes."""
    with httpx.Client(base_url=stack.url("web"), timeout=15) as api:
        created = api.post("/api/briefings", json={"topic": "science", "review": True})
        assert created.status_code == 202, created.text
        wait_for_briefing(api, created.json()["url"], lambda body: body.get("review"), 90)
    return created.json()["id"]


async def assert_nothing_changed(stack: StackProcess, pids: dict, briefing_id: str) -> None:
    await asyncio.sleep(KILL_WAIT_SECONDS)
    assert is_alive(pids["worker"]), "the worker was killed"
    assert httpx.get(f"{stack.url('newsroom')}/_admin/faults").json() == {"faults": []}
    assert httpx.get(f"{stack.url('llm')}/_admin/faults").json()["mode"] is None
    temporal = await Client.connect(f"127.0.0.1:{stack.ports['temporal']}")
    assert not await cancel_requested(temporal, briefing_id)


@pytest.mark.parametrize("server", ["web", "newsroom", "llm"])
async def test_a_rebound_page_gets_400_from_every_server_and_kills_nothing(
    stack, attacker_browser, server
):
    stack, pids = stack
    briefing_id = briefing_awaiting_review(stack)
    steps = attack_steps(briefing_id)[server]
    statuses = await rebound_attack(attacker_browser, stack.ports[server], steps)
    assert statuses == {s["name"]: 400 for s in steps}
    await assert_nothing_changed(stack, pids, briefing_id)


async def test_a_rebound_page_gets_400_from_the_control_api_and_kills_nothing(
    stack, attacker_browser
):
    stack, pids = stack
    steps = attack_steps("unused")["control"]
    statuses = await rebound_attack(attacker_browser, stack.ports["control"], steps)
    await asyncio.sleep(KILL_WAIT_SECONDS)
    assert is_alive(pids["worker"]), "the worker was killed"
    assert statuses == {s["name"]: 400 for s in steps}


async def test_a_cross_site_form_cannot_cancel_a_briefing_but_its_own_page_can(
    stack, attacker_browser
):
    stack, pids = stack
    briefing_id = briefing_awaiting_review(stack)
    cancel_url = f"{stack.url('web')}/api/briefings/{briefing_id}/cancel"
    context = await attacker_browser.new_context()
    page = await context.new_page()
    # A page on another site (never on the network) that submits a form to us as it loads.
    form_page = f"""<form method="post" action="{cancel_url}"></form>
        <script>document.forms[0].submit()</script>"""
    await page.route(
        "http://attacker.test:9/",
        lambda route: route.fulfill(body=form_page, content_type="text/html"),
    )
    async with page.expect_response(cancel_url) as answer:
        await page.goto("http://attacker.test:9/")
    refused = await answer.value
    await assert_nothing_changed(stack, pids, briefing_id)
    own = await same_origin_cancel(page, stack, briefing_id)
    await context.close()
    assert refused.status == 403
    assert own == 202
    with httpx.Client(base_url=stack.url("web"), timeout=15) as api:
        url = f"/api/briefings/{briefing_id}"
        wait_for_briefing(api, url, lambda body: body["status"] == "cancelled", 60)


async def same_origin_cancel(page: Page, stack: StackProcess, briefing_id: str) -> int:
    """The briefing's own page asks the JSON API to cancel: a same-origin browser request."""
    await page.goto(f"{stack.url('web')}/briefings/{briefing_id}")
    return await page.evaluate(
        "async (url) => (await fetch(url, {method: 'POST'})).status",
        f"/api/briefings/{briefing_id}/cancel",
    )
