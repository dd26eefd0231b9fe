"""`make compose-check`: the presenter's container demo against real containers, each step checked.

Builds the local base images if they are missing, then our image (docker/build-image.sh). Brings
the stack up from docker-compose.yml with docker-compose.local.yml, where Temporal is the dev
server in our own image. Then, in order:

1. every service is healthy, and the image runs as uid 10001;
2. a briefing through the API completes;
3. the worker container is SIGKILLed mid-summaries and started again: the briefing completes, and
   no summary that had completed is asked of the LLM again (its request log);
4. with three workers (`--scale worker=3`), two are SIGKILLed mid-briefing: it completes;
5. the web is restarted while a viewer follows the SSE stream: the viewer resumes with
   Last-Event-ID, and misses and repeats nothing;
6. `down`, then `up`: the finished briefings are still there (the volume).

It prints a table of the steps and the measured times, and exits 1 if any step fails; 2 when no
Docker engine answers (it says so). `--keep` leaves the stack up.
"""

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench.common import markdown_table
from testing.compose_stack import (
    Compose,
    ComposeFailed,
    docker,
    read_across_restart,
    wait_until_healthy,
)
from testing.polling import WaitTimedOut, wait_for
from testing.stack_process import summaries_in

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "briefing-check"
COMPOSE_FILES = ["docker-compose.yml", "docker-compose.local.yml"]
# What runs under the override, each with its health check (temporal-namespace is a job).
SERVICES = {"temporal-dev", "web", "worker", "plain", "newsroom", "llm"}
WEB, LLM = "http://127.0.0.1:8000", "http://127.0.0.1:8200"
BRIEFING_TIMEOUT_SECONDS = 240.0
# Paced, so that kills land while summaries are being written; no per-client limits. The
# offline LLM runs (its profile): the check reads its request log.
SETTINGS = {
    "BRIEFING_LLM_TOKENS_PER_SECOND": "40",
    "BRIEFING_START_RATE_PER_MINUTE": "0",
    "BRIEFING_SSE_RATE_PER_MINUTE": "0",
}


class StepFailed(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise StepFailed(message)


def start_briefing(api: httpx.Client, stories: int) -> str:
    response = api.post("/api/briefings", json={"topic": "science", "max_stories": stories})
    check(response.status_code == 202, f"POST /api/briefings: {response.status_code}")
    return response.json()["url"]


def briefing(api: httpx.Client, url: str, until: Callable[[dict], bool], what: str) -> dict:
    return wait_for(lambda: api.get(url).json(), BRIEFING_TIMEOUT_SECONDS, what, until=until)


def mid_summaries(api: httpx.Client, url: str) -> dict:
    return briefing(
        api,
        url,
        lambda body: bool(summaries_in(body, "done") and summaries_in(body, "running")),
        "summaries done and running",
    )


def finished(api: httpx.Client, url: str) -> dict:
    body = briefing(api, url, lambda body: body["status"] != "running", "the briefing's end")
    check(
        body["status"] == "completed", f"the briefing ended {body['status']}: {body.get('error')}"
    )
    return body


def read_status(api: httpx.Client, url: str) -> str:
    """A briefing's status, once the web answers for it again."""
    response = wait_for(
        lambda: api.get(url),
        60,
        url,
        until=lambda r: r.status_code == 200,
        ignoring=(httpx.HTTPError,),
    )
    return response.json()["status"]


def next_progress_after(api: httpx.Client, url: str, done_before: int) -> float:
    """Seconds until one more summary is done than `done_before`."""
    started = time.monotonic()
    briefing(api, url, lambda body: len(summaries_in(body, "done")) > done_before, "progress")
    return time.monotonic() - started


class Report:
    def __init__(self) -> None:
        self.rows: list[list[str]] = []
        self.failed = False

    @contextmanager
    def step(self, name: str) -> Iterator[list[str]]:
        """A step, timed; what it measured goes in the list it yields."""
        measured: list[str] = []
        started = time.monotonic()
        try:
            yield measured
        except (StepFailed, ComposeFailed, WaitTimedOut, httpx.HTTPError) as error:
            self.rows.append([name, "FAILED", f"{time.monotonic() - started:.1f}", str(error)])
            self.failed = True
            raise
        self.rows.append([name, "ok", f"{time.monotonic() - started:.1f}", "; ".join(measured)])


def run(report: Report, compose: Compose, briefing_urls: list[str]) -> None:
    with report.step("build the bases (if missing) and the image") as measured:
        started = time.monotonic()
        built = subprocess.run(["bash", str(ROOT / "docker/build-image.sh")], cwd=ROOT, check=False)
        check(built.returncode == 0, "docker/build-image.sh failed (its output is above)")
        measured.append(f"{time.monotonic() - started:.0f} s")
    with report.step("up: every service healthy, uid 10001") as measured:
        started = time.monotonic()
        compose("up", "-d", "--no-build")
        wait_until_healthy(compose, SERVICES)
        measured.append(f"{len(SERVICES)} services healthy in {time.monotonic() - started:.0f} s")
        for service in sorted(SERVICES):
            for container in compose.containers(service):
                uid = docker("exec", container, "id", "-u")
                check(uid == "10001", f"{service} runs as uid {uid}")
        measured.append("each runs as uid 10001")
    api = httpx.Client(base_url=WEB, timeout=15)
    with report.step("a briefing through the API completes") as measured:
        started = time.monotonic()
        url = start_briefing(api, 3)
        body = finished(api, url)
        briefing_urls.append(url)
        measured.append(f"3 stories in {time.monotonic() - started:.0f} s")
        stories = [story for s in body["result"]["sections"] for story in s["stories"]]
        from_pages = [story for story in stories if story["text_source"] == "article"]
        # The newsroom's links are for browsers (localhost): the worker must read them anyway.
        check(bool(from_pages), "no story was summarised from its page: the reads failed")
        measured.append(f"{len(from_pages)} of {len(stories)} summarised from their pages")
    with report.step("kill -9 the worker mid-summaries, start it") as measured:
        httpx.delete(f"{LLM}/_admin/requests")
        url = start_briefing(api, 8)
        before = mid_summaries(api, url)
        compose("kill", "-s", "KILL", "worker")
        compose("start", "worker")
        resumed = next_progress_after(api, url, len(summaries_in(before, "done")))
        finished(api, url)
        briefing_urls.append(url)
        log = httpx.get(f"{LLM}/_admin/requests").json()
        for step in summaries_in(before, "done"):
            asked = [
                entry for entry in log if entry["articles"] == 1 and entry["title"] == step["label"]
            ]
            check(len(asked) == 1, f"{step['label']!r} was asked of the LLM {len(asked)} times")
        measured.append(f"next summary done {resumed:.1f} s after the start")
        measured.append(f"{len(summaries_in(before, 'done'))} done summaries not asked again")
    with report.step("3 workers, kill -9 two of them mid-briefing") as measured:
        compose("up", "-d", "--no-build", "--scale", "worker=3")
        wait_until_healthy(compose, SERVICES)
        workers = compose.containers("worker")
        check(len(workers) == 3, f"{len(workers)} workers, not 3")
        url = start_briefing(api, 8)
        before = mid_summaries(api, url)
        for container in workers[:2]:
            docker("kill", "-s", "KILL", container)
        resumed = next_progress_after(api, url, len(summaries_in(before, "done")))
        finished(api, url)
        briefing_urls.append(url)
        compose("up", "-d", "--no-build", "--scale", "worker=1")
        measured.append(f"next summary done {resumed:.1f} s after the kill, on the third worker")
    with report.step("restart the web under an SSE viewer") as measured:
        measured.extend(follow_through_web_restart(api, compose, briefing_urls))
    with report.step("down, then up: the briefings are still there") as measured:
        compose("down")
        started = time.monotonic()
        compose("up", "-d", "--no-build")
        wait_until_healthy(compose, SERVICES)
        for url in briefing_urls:
            status = read_status(api, url)
            check(status == "completed", f"{url} is {status} after down and up")
        measured.append(
            f"{len(briefing_urls)} briefings found, up again in {time.monotonic() - started:.0f} s"
        )


def follow_through_web_restart(
    api: httpx.Client, compose: Compose, briefings: list[str]
) -> list[str]:
    """A viewer reads the stream; the web restarts mid-way; the viewer comes back with the last
    id it saw, as a browser does, and reads on to the close."""
    url = start_briefing(api, 8)
    ids, gap = read_across_restart(f"{WEB}{url}/events", lambda: compose("restart", "web"))
    check(ids == list(range(len(ids))), f"ids seen: {ids}")
    finished(api, url)
    briefings.append(url)
    return [f"{len(ids)} events, each once, in order", f"back {gap:.1f} s after the restart began"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", action="store_true", help="leave the stack up at the end")
    args = parser.parse_args()
    if subprocess.run(["docker", "info"], capture_output=True, check=False).returncode != 0:
        print("compose-check: no Docker engine answers here (`docker info` failed): not run.")
        return 2
    with tempfile.NamedTemporaryFile("w", suffix=".env") as env_file:
        env_file.write("".join(f"{key}={value}\n" for key, value in SETTINGS.items()))
        env_file.flush()
        compose = Compose(ROOT, COMPOSE_FILES, PROJECT, Path(env_file.name), ["offline"])
        report = Report()
        try:
            run(report, compose, [])
        except (StepFailed, ComposeFailed, WaitTimedOut, httpx.HTTPError):
            print(compose("logs", "--tail", "30") if compose.containers() else "", file=sys.stderr)
        finally:
            if not args.keep:
                compose("down", "-v")
    print(markdown_table(["step", "result", "seconds", "measured"], report.rows))
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
