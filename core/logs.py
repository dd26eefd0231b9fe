"""Log lines an operator can follow a briefing by: each carries the workflow id, run id and
activity it was written under, one line per event, as text or as JSON
(`BRIEFING_LOG_FORMAT=json`) for a log shipper.

The context comes from the SDK's logger adapters (`workflow.logger`, `activity.logger` put it
on the record as `temporal_workflow` / `temporal_activity`), and, for any other logger used
inside an activity (the feed guard's, httpx's), from the activity running at the time. The web
names the briefing it speaks of with `extra=about(workflow_id)`.
"""

import json
import logging
import logging.config
from datetime import UTC, datetime
from typing import Any, Literal

from temporalio import activity, workflow

LogFormat = Literal["text", "json"]

TEXT_FORMAT = "%(levelname)s %(name)s: %(message)s"
# The fields a line may carry, in the order text shows them.
CONTEXT_FIELDS = ("workflow_id", "run_id", "workflow_type", "activity", "activity_id", "attempt")
# One line per HTTP request drowns out what a presenter needs to see.
NOISY_LOGGERS = ("httpx", "httpx2")


def about(workflow_id: str) -> dict[str, Any]:
    """The `extra` of a line the web writes about one briefing."""
    return {"workflow_id": workflow_id}


class TemporalContext(logging.Filter):
    """Puts the workflow's and activity's ids on the record under CONTEXT_FIELDS' names."""

    def filter(self, record: logging.LogRecord) -> bool:
        fields = record.__dict__
        details = fields.get("temporal_activity")
        if details is None and activity.in_activity():
            details = _activity_details(activity.info())
        if details is not None:
            fields.setdefault("workflow_id", details.get("workflow_id"))
            fields.setdefault("run_id", details.get("workflow_run_id"))
            fields.setdefault("workflow_type", details.get("workflow_type"))
            fields.setdefault("activity", details.get("activity_type"))
            fields.setdefault("activity_id", details.get("activity_id"))
            fields.setdefault("attempt", details.get("attempt"))
        if (details := fields.get("temporal_workflow")) is not None:
            fields.setdefault("workflow_id", details.get("workflow_id"))
            fields.setdefault("run_id", details.get("run_id"))
            fields.setdefault("workflow_type", details.get("workflow_type"))
        return True


def _activity_details(info: activity.Info) -> dict[str, Any]:
    return {
        "workflow_id": info.workflow_id,
        "workflow_run_id": info.workflow_run_id,
        "workflow_type": info.workflow_type,
        "activity_type": info.activity_type,
        "activity_id": info.activity_id,
        "attempt": info.attempt,
    }


def _context(record: logging.LogRecord) -> dict[str, Any]:
    fields = record.__dict__
    return {name: fields[name] for name in CONTEXT_FIELDS if fields.get(name) is not None}


class TextFormatter(logging.Formatter):
    """`LEVEL logger: message [workflow_id=... run_id=... activity=...]`."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        context = _context(record)
        if not context:
            return line
        return f"{line} [{' '.join(f'{name}={value}' for name, value in context.items())}]"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the context, any error."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_context(record),
        }
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        # A multi-line traceback stays on one line, escaped.
        return json.dumps(line, default=str)


def logging_config(log_format: LogFormat, base: dict[str, Any] | None = None) -> dict[str, Any]:
    """A dictConfig for the root logger (and for `base`'s loggers, uvicorn's), in `log_format`."""
    formatter = JsonFormatter if log_format == "json" else TextFormatter
    config = base or {"version": 1, "disable_existing_loggers": False}
    formatters = config.setdefault("formatters", {})
    handlers = config.setdefault("handlers", {})
    for handler in handlers.values():
        # uvicorn's own lines keep uvicorn's look as text; as JSON, every line is one object.
        if log_format == "json":
            handler["formatter"] = "briefing"
        handler.setdefault("filters", []).append("temporal_context")
    formatters["briefing"] = {"()": formatter}
    config.setdefault("filters", {})["temporal_context"] = {"()": TemporalContext}
    handlers["briefing"] = {
        "class": "logging.StreamHandler",
        "formatter": "briefing",
        "filters": ["temporal_context"],
    }
    config["root"] = {"handlers": ["briefing"], "level": "INFO"}
    config.setdefault("loggers", {}).update({name: {"level": "WARNING"} for name in NOISY_LOGGERS})
    return config


def configure_logging(log_format: LogFormat) -> None:
    logging.config.dictConfig(logging_config(log_format))
    # The context goes in the line's own fields, not appended to the message as a dict.
    workflow.logger.workflow_info_on_message = False
    activity.logger.activity_info_on_message = False
