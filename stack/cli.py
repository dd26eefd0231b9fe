"""The `briefing` command: the whole stack, one part of it, or a briefing from the terminal."""

import argparse
import asyncio
import logging
import os
import sys
from typing import TYPE_CHECKING, NoReturn

from core.logs import configure_logging
from core.settings import get_settings

if TYPE_CHECKING:  # each handler imports its own part: the worker never loads the web
    from fastapi import FastAPI


def _run_server(args: argparse.Namespace) -> int:
    from stack.dev_server import dev_server_command

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    command = dev_server_command(
        ip=settings.host,
        port=settings.temporal_port,
        ui_port=settings.temporal_ui_port if settings.temporal_ui else None,
        db_file=settings.data_dir / "temporal.sqlite",
        namespace=settings.temporal_namespace,
    )
    # exec, so the pid printed by `briefing up` is the server itself: kill it and it dies.
    os.execv(command[0], command)


def _run_worker(args: argparse.Namespace) -> int:
    from worker.main import run_worker
    from worker.promotion import BuildNotPromoted
    from worker.search_attributes import SearchAttributesMissing

    try:
        asyncio.run(run_worker(get_settings()))
    except (SearchAttributesMissing, BuildNotPromoted) as error:
        print(f"briefing worker: cannot start: {error}", file=sys.stderr, flush=True)
        _exit_skipping_teardown(2)
    _exit_skipping_teardown(0)


def _exit_skipping_teardown(code: int) -> NoReturn:
    """Leave once our work and output are done.

    The Temporal client's bridge threads can abort a process during interpreter teardown
    (temporalio/sdk-python#300), turning a clean exit into SIGABRT.
    """
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _run_web(args: argparse.Namespace) -> int:
    from web.app import run_web

    run_web(args.processes)
    return 0


def _run_newsroom(args: argparse.Namespace) -> int:
    from demo.newsroom.server import create_app

    settings = get_settings()
    newsroom = create_app(
        public_url=settings.newsroom_public_url, allowed_hosts=settings.newsroom_host_names
    )
    return _serve_quietly(newsroom, settings.host, settings.newsroom_port)


def _run_llm(args: argparse.Namespace) -> int:
    from demo.offline_llm.server import create_app

    settings = get_settings()
    llm = create_app(
        tokens_per_second=settings.llm_tokens_per_second,
        api_key=None,
        allowed_hosts=settings.host_names,
    )
    return _serve_quietly(llm, settings.host, settings.llm_port)


def _run_plain(args: argparse.Namespace) -> int:
    from plain_agent.server import build_agent, create_app

    settings = get_settings()
    app = create_app(build_agent(settings), allowed_hosts=settings.host_names)
    return _serve_quietly(app, settings.host, settings.plain_port)


def _serve_quietly(app: "FastAPI", host: str, port: int) -> int:
    import uvicorn

    # No line per request: the stack's own lines are the ones a presenter reads.
    from core.keep_alive import SERVER_KEEP_ALIVE_SECONDS

    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        timeout_keep_alive=SERVER_KEEP_ALIVE_SECONDS,
    )
    return 0


def _run_up(args: argparse.Namespace) -> int:
    from stack.up import run_stack

    settings = get_settings()
    if args.no_ui:
        # The parts are handed the settings `up` resolved, so `briefing server` runs headless.
        settings = settings.model_copy(update={"temporal_ui": False})
    return run_stack(settings, restart_delay=args.restart_delay, restart=not args.no_restart)


def _run_new(args: argparse.Namespace) -> int:
    from stack.terminal_briefing import new_briefing

    code = asyncio.run(
        new_briefing(
            get_settings(),
            topic=args.topic,
            sources=args.source,
            max_stories=args.max_stories,
            wait=args.wait,
        )
    )
    _exit_skipping_teardown(code)


def _at_least_one(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefing", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    up = commands.add_parser("up", help="start the whole local stack; Ctrl-C stops it")
    up.add_argument(
        "--restart-delay",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="wait this long before bringing back a part that died (default 5)",
    )
    up.add_argument("--no-restart", action="store_true", help="leave dead parts dead")
    up.add_argument(
        "--no-ui",
        action="store_true",
        help="run the Temporal dev server without its Web UI (which has no Host check of its own)",
    )
    up.set_defaults(handler=_run_up)
    for name, handler, help_text in (
        ("server", _run_server, "the Temporal dev server (SQLite under the data dir, Web UI)"),
        ("worker", _run_worker, "the worker: runs briefing workflows and activities"),
        ("web", _run_web, "the web app and JSON API"),
        ("newsroom", _run_newsroom, "the demo newsroom: offline RSS and Atom feeds"),
        ("llm", _run_llm, "the offline extractive LLM (OpenAI-compatible)"),
        ("plain", _run_plain, "the plain agent: the same briefing without Temporal, in memory"),
    ):
        commands.add_parser(name, help=help_text).set_defaults(handler=handler)
    commands.choices["web"].add_argument(
        "--processes",
        type=_at_least_one,
        metavar="N",
        help="N processes on the one port, for more cores (default: BRIEFING_WEB_PROCESSES, 1)",
    )
    new = commands.add_parser("new", help="start a briefing and print its progress")
    new.add_argument("topic")
    new.add_argument("--wait", action="store_true", help="follow it until done, then print it")
    new.add_argument("--max-stories", type=int, default=8)
    new.add_argument(
        "--source",
        action="append",
        metavar="FEED_URL",
        help="a feed URL (repeatable); the configured feeds by default",
    )
    new.set_defaults(handler=_run_new)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(get_settings().log_format)
    return args.handler(args) or 0


if __name__ == "__main__":
    raise SystemExit(main())
