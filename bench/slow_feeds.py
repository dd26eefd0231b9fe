"""Slow feeds against everyone else: a normal briefing on a quiet stack, and the same briefing
while two briefings of 20 drip-feeding sources each are running (issue 12, item 4).

The drip host, served from this process and trusted by the stack's SSRF guard, answers every
feed with a few bytes and then one byte a second, forever: only the worker's whole-download
deadline (20 s) ends each one. The normal briefing is a few stories from the newsroom, started
through the web's API like any reader's, timed from the POST to its result. Quiet runs come
before and after the attacked ones, so drift of the (shared) machine shows. Prints a table.

    python -m bench.slow_feeds --runs 5 --stories 3 --latency-ms 2000
"""

import argparse
import asyncio
import contextlib
import time

import httpx
from temporalio.client import Client

from bench.common import markdown_table, percentile, running_stack
from testing.drip_feeds import STATS_PATH, create_drip_app
from testing.polling import wait_for_async
from testing.servers import serve_in_thread

# The attack counts as under way once this many drips are open: as many as one host may hold.
ATTACK_UNDER_WAY_DRIPS = 6
ATTACK_START_TIMEOUT_SECONDS = 60.0
ATTACK_STOP_TIMEOUT_SECONDS = 60.0
TARGET_RATIO = 1.5


async def timed_briefing(web: httpx.AsyncClient, client: Client, args) -> float:
    started = time.perf_counter()
    created = await web.post(
        "/api/briefings", json={"topic": args.topic, "max_stories": args.stories}
    )
    created.raise_for_status()
    await client.get_workflow_handle(created.json()["id"]).result()
    return time.perf_counter() - started


class DripAttack:
    """Keeps `briefings` briefings of `urls` drip-feeding sources running until it is left."""

    def __init__(self, web: httpx.AsyncClient, client: Client, drip_url: str, args) -> None:
        self._web, self._client, self._drip_url, self._args = web, client, drip_url, args
        self._running: set[str] = set()
        self.finished = 0

    async def drips_open(self) -> int:
        async with httpx.AsyncClient(base_url=self._drip_url) as drip:
            return (await drip.get(STATS_PATH)).json()["open"]

    async def __aenter__(self) -> "DripAttack":
        self._attackers = [
            asyncio.create_task(self._keep_one_running(number))
            for number in range(self._args.attack_briefings)
        ]
        wanted = min(ATTACK_UNDER_WAY_DRIPS, self._args.attack_briefings * self._args.attack_urls)
        await wait_for_async(
            self.drips_open,
            ATTACK_START_TIMEOUT_SECONDS,
            f"{wanted} drips open after the attack began",
            until=lambda open_now: open_now >= wanted,
            interval=0.2,
        )
        return self

    async def _keep_one_running(self, number: int) -> None:
        while True:
            sources = [
                f"{self._drip_url}/feeds/drip-{number}-{self.finished}-{index}.xml"
                for index in range(self._args.attack_urls)
            ]
            body = {"topic": "anything", "sources": sources, "max_stories": 3}
            created = await self._web.post("/api/briefings", json=body)
            created.raise_for_status()
            briefing_id = created.json()["id"]
            self._running.add(briefing_id)
            with contextlib.suppress(Exception):  # every source fails: that is the point
                await self._client.get_workflow_handle(briefing_id).result()
            self._running.discard(briefing_id)
            self.finished += 1

    async def __aexit__(self, *exc_info: object) -> None:
        for attacker in self._attackers:
            attacker.cancel()
        await asyncio.gather(*self._attackers, return_exceptions=True)
        handles = [self._client.get_workflow_handle(briefing_id) for briefing_id in self._running]
        for handle in handles:
            await handle.cancel()
        async with asyncio.timeout(ATTACK_STOP_TIMEOUT_SECONDS):
            await asyncio.gather(*(handle.result() for handle in handles), return_exceptions=True)


async def measure(web_url: str, drip_url: str, client: Client, args) -> str:
    async with httpx.AsyncClient(base_url=web_url, timeout=30) as web:
        if not args.smoke:  # the smoke's figures are not read: no warm-up to spend CI's time on
            await timed_briefing(web, client, args)  # warm-up: parsing children, connections
        before = [await timed_briefing(web, client, args) for _ in range(args.runs)]
        attacked, drips = [], []
        async with DripAttack(web, client, drip_url, args) as attack:
            for _ in range(args.runs):
                drips.append(await attack.drips_open())
                attacked.append(await timed_briefing(web, client, args))
            finished = attack.finished
        after = [await timed_briefing(web, client, args) for _ in range(args.runs)]
    return report(args, before, attacked, after, drips, finished)


def report(args, before, attacked, after, drips: list[int], finished: int) -> str:
    quiet = before + after

    def row(name: str, seconds: list[float]) -> list[object]:
        low, high = min(seconds), max(seconds)
        return [name, len(seconds), f"{percentile(seconds, 0.5):.2f}", f"{low:.2f}–{high:.2f}"]

    attack = f"while {args.attack_briefings} briefings of {args.attack_urls} drip URLs run"
    ratio = percentile(attacked, 0.5) / percentile(quiet, 0.5)
    table = markdown_table(
        ["normal briefing", "runs", "p50 (s)", "spread (s)"],
        [
            row("quiet stack, before the attack", before),
            row(attack, attacked),
            row("quiet stack, after the attack", after),
            row("quiet stack, all", quiet),
            [f"ratio attacked/quiet p50 (target ≤ {TARGET_RATIO:g})", "", f"{ratio:.2f}", ""],
        ],
    )
    notes = [
        f"{args.stories} stories from the newsroom, offline LLM at a fixed {args.latency_ms:g} ms "
        "per call.",
        f"Drips open as each attacked run started: {min(drips)}–{max(drips)}; "
        f"attack briefings that ended (every source failed) during the attack: {finished}.",
    ]
    return table + "\n\n" + "\n".join(notes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="runs of each kind")
    parser.add_argument("--stories", type=int, default=3)
    parser.add_argument("--latency-ms", type=float, default=2000.0)
    parser.add_argument("--attack-briefings", type=int, default=2)
    parser.add_argument("--attack-urls", type=int, default=20, help="drip sources per briefing")
    parser.add_argument("--topic", default="science")
    parser.add_argument("--smoke", action="store_true", help="a tiny run, for CI")
    args = parser.parse_args()
    if args.smoke:
        args.runs, args.stories, args.latency_ms, args.attack_urls = 1, 2, 20.0, 4
    with serve_in_thread(create_drip_app()) as drip_url:
        trusted = {"BRIEFING_TRUSTED_FEED_HOSTS": drip_url.removeprefix("http://")}
        with running_stack(llm_latency_ms=args.latency_ms, extra_env=trusted) as stack:

            async def run() -> str:
                return await measure(stack.url("web"), drip_url, await stack.client(), args)

            report_text = asyncio.run(run())
    print(report_text, flush=True)


if __name__ == "__main__":
    main()
