"""Compression bombs as sources of a briefing on a real `briefing up` stack: each is refused with
its reason, the briefing completes from the other feeds, and the worker's memory stays small.

Before the worker decoded Content-Encoding itself, the 1 GiB double-gzip feed took its memory from
100 MB to 4.3 GB and blocked its event loop until the fetch failed by heartbeat timeout.
"""

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from activities.errors import FeedError
from testing.servers import serve_in_thread
from testing.stack_process import StackProcess, wait_for_briefing
from tests.activities.feeds.encoded_bodies import gzip_layers
from tests.activities.feeds.hostile_servers import create_hostile_app
from tests.conftest import feed_urls

BRIEFING_TIMEOUT_SECONDS = 120.0
# An idle worker holds about 100 MB; decoding 2 MiB more must not come near this.
WORKER_PEAK_RSS_LIMIT_BYTES = 300 * 1024 * 1024


@pytest.fixture(scope="module")
def hostile_url() -> Iterator[str]:
    gzip_layers(3)  # built before any fetch waits on it
    with serve_in_thread(create_hostile_app()) as url:
        yield url


@pytest.fixture
def stack(tmp_path: Path, hostile_url: str) -> Iterator[StackProcess]:
    trusted = {"BRIEFING_TRUSTED_FEED_HOSTS": urlsplit(hostile_url).netloc}
    stack = StackProcess(tmp_path, extra_env=trusted)
    yield stack
    if stack.process.poll() is None:
        stack.stop()


def peak_rss_bytes(pid: int) -> int:
    """The process's resident high-water mark since it started (VmHWM, in kB)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmHWM for pid {pid}")


def test_compression_bombs_are_refused_and_the_worker_stays_under_300_mb(
    stack: StackProcess, hostile_url: str
) -> None:
    worker = stack.wait_until_up()["worker"]
    bombs = {layers: f"{hostile_url}/gzip-{layers}-layers-bomb.xml" for layers in (1, 2, 3)}
    api = httpx.Client(base_url=stack.url("web"), timeout=10)
    sources = [*feed_urls(stack.url("newsroom")), *bombs.values()]
    idle_peak = peak_rss_bytes(worker)

    created = api.post(
        "/api/briefings", json={"topic": "science", "sources": sources, "max_stories": 3}
    ).json()
    finished = wait_for_briefing(
        api, created["url"], lambda body: body["status"] != "running", BRIEFING_TIMEOUT_SECONDS
    )
    peak = peak_rss_bytes(worker)

    print(f"\nworker peak RSS: {peak / 2**20:.0f} MiB (idle peak {idle_peak / 2**20:.0f} MiB)")
    assert finished["status"] == "completed", finished.get("error")
    assert [story for section in finished["result"]["sections"] for story in section["stories"]]
    too_large, stacked = FeedError.TOO_LARGE, FeedError.UNSUPPORTED_ENCODING
    reasons = {failure["url"]: failure["reason"] for failure in finished["failed_sources"]}
    assert reasons == {
        bombs[1]: f"{too_large}: feed refused: {bombs[1]} is larger than the 2 MiB size cap",
        bombs[2]: f"{stacked}: feed refused: {bombs[2]} uses stacked Content-Encoding gzip, gzip",
        bombs[3]: f"{stacked}: feed refused: {bombs[3]} uses stacked Content-Encoding "
        "gzip, gzip, gzip",
    }
    assert peak < WORKER_PEAK_RSS_LIMIT_BYTES
