"""The control API of `briefing up`: list, kill and start its parts, and keep the action log.

JSON over local HTTP for the dashboard's chaos panel: the web is itself a part, so it asks `up`.
Every request names one of our host names and carries the per-run token `up` hands the web alone
in BRIEFING_CONTROL_TOKEN; it may kill or start only what the panel offers (PANEL_PART_ACTIONS),
and kill several of those at the same instant (POST /parts/kill), as "Kill the servers" does.
"""

import json
import logging
import re
import secrets
import signal
import threading
from http import HTTPStatus
from typing import TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError

from core.host_check import REFUSAL, is_allowed_host
from stack.control_http import (
    BoundedThreadingHTTPServer,
    GuardedHandler,
    RequestRefused,
    RequestTimedOut,
)
from stack.control_models import ActionRequest, GroupKillRequest, KillRequest, is_offered
from stack.supervisor import PartConflict, PartNotFound, Supervisor

PART_ACTION = re.compile(r"/parts/(?P<name>[^/]+)/(?P<action>kill|start)")
SIGNALS = {"KILL": signal.SIGKILL, "TERM": signal.SIGTERM}
RequestModel = TypeVar("RequestModel", bound=BaseModel)
logger = logging.getLogger(__name__)


class ControlServer:
    """Serves from a daemon thread, one thread per request, beside the supervisor's watch loop."""

    def __init__(self, supervisor: Supervisor) -> None:
        settings = supervisor.settings
        # Binds now, so a taken port fails `up` before any part starts (OSError).
        self.httpd = _ControlHTTPServer((settings.host, settings.control_port), supervisor)
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, name="control-api", daemon=True
        )

    def start(self) -> None:
        self.thread.start()

    def close(self) -> None:
        if self.thread.is_alive():
            self.httpd.shutdown()
        self.httpd.server_close()


class _ControlHTTPServer(BoundedThreadingHTTPServer):
    def __init__(self, address: tuple[str, int], supervisor: Supervisor) -> None:
        super().__init__(address, _Handler)
        self.supervisor = supervisor
        self.token = supervisor.control_token.encode()
        self.host_names = supervisor.settings.host_names


class _Handler(GuardedHandler):
    server: _ControlHTTPServer

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    # Answered in JSON too (405), not with the standard library's HTML page.
    do_PUT = do_PATCH = do_DELETE = do_POST

    def log_message(self, format: str, *args: object) -> None:
        """Silent: a line per request would drown out what `up` tells the presenter."""

    def _answer(self) -> None:
        try:
            # Host and token from the headers alone: a refused client never holds us for a body.
            self._check_host()
            self._check_token()
            status, payload = self._route()
        except RequestTimedOut:
            self.close_connection = True
            return
        except RequestRefused as refused:
            status, payload = refused.status, {"error": str(refused)}
        except PartNotFound as error:
            status, payload = HTTPStatus.NOT_FOUND, {"error": str(error)}
        except PartConflict as error:
            status, payload = HTTPStatus.CONFLICT, {"error": str(error)}
        except ValidationError as error:
            status, payload = HTTPStatus.UNPROCESSABLE_ENTITY, {"error": _describe(error)}
        except Exception:
            logger.exception("control API request %s %s failed", self.command, self.path)
            status, payload = HTTPStatus.INTERNAL_SERVER_ERROR, {"error": "internal error"}
        self._send(status, payload)

    def _check_host(self) -> None:
        # DNS rebinding: a page whose name now resolves to loopback still says its own name.
        if not is_allowed_host(self.headers.get("Host"), self.server.host_names):
            raise RequestRefused(HTTPStatus.BAD_REQUEST, REFUSAL)

    def _check_token(self) -> None:
        scheme, _, token = self.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not secrets.compare_digest(
            token.strip().encode(), self.server.token
        ):
            raise RequestRefused(
                HTTPStatus.UNAUTHORIZED, "missing or wrong bearer token (BRIEFING_CONTROL_TOKEN)"
            )

    def _route(self) -> tuple[HTTPStatus, dict]:
        supervisor = self.server.supervisor
        path = urlsplit(self.path).path
        if path == "/parts":
            self._require("GET")
            return HTTPStatus.OK, {"parts": [_dump(part) for part in supervisor.statuses()]}
        if path == "/actions" and self.command == "GET":
            return HTTPStatus.OK, {"actions": [_dump(a) for a in supervisor.actions.entries()]}
        if path == "/actions":
            self._require("POST")
            request = _parse(ActionRequest, self.read_body())
            action = supervisor.actions.append(request.source, request.text)
            return HTTPStatus.CREATED, {"action": _dump(action)}
        if path == "/parts/kill":
            return self._kill_together()
        match = PART_ACTION.fullmatch(path)
        if match is None:
            raise RequestRefused(HTTPStatus.NOT_FOUND, f"no endpoint {path}")
        self._require("POST")
        self._require_offered(match["name"], match["action"])
        if match["action"] == "start":
            return HTTPStatus.OK, {"part": _dump(supervisor.start(match["name"]))}
        kill = _parse(KillRequest, self.read_body())
        part = supervisor.kill(
            match["name"], SIGNALS[kill.signal], restart_after=kill.restart_after
        )
        return HTTPStatus.ACCEPTED, {"part": _dump(part)}

    def _kill_together(self) -> tuple[HTTPStatus, dict]:
        self._require("POST")
        kill = _parse(GroupKillRequest, self.read_body())
        for name in kill.parts:
            self._require_offered(name, "kill")
        parts = self.server.supervisor.kill_together(
            kill.parts, SIGNALS[kill.signal], restart_after=kill.restart_after
        )
        return HTTPStatus.ACCEPTED, {"parts": [_dump(part) for part in parts]}

    def _require(self, method: str) -> None:
        if self.command != method:
            raise RequestRefused(HTTPStatus.METHOD_NOT_ALLOWED, f"use {method} here")

    def _require_offered(self, name: str, action: str) -> None:
        if name not in self.server.supervisor.part_names():
            return  # the supervisor's 404 names the parts there are
        if not is_offered(name, action):
            raise RequestRefused(
                HTTPStatus.FORBIDDEN, f"{action} {name}: not offered by the chaos panel"
            )

    def _send(self, status: HTTPStatus, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if status == HTTPStatus.UNAUTHORIZED:
            self.send_header("WWW-Authenticate", "Bearer")
        self.end_headers()
        self.wfile.write(data)


def _parse(model: type[RequestModel], body: bytes) -> RequestModel:
    try:
        data = json.loads(body) if body.strip() else {}
    except ValueError as error:  # not JSON, or not even UTF-8
        raise RequestRefused(HTTPStatus.BAD_REQUEST, "the body is not JSON") from error
    return model.model_validate(data)


def _dump(model: BaseModel) -> dict:
    return model.model_dump(mode="json")


def _describe(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in item['loc']) or 'body'}: {item['msg']}"
        for item in error.errors()
    )
