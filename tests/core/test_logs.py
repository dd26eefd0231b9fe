"""The two log formats of core/logs.py: text for a person, a JSON object per line for a shipper."""

import json
import logging
import sys

from core.logs import JsonFormatter, TemporalContext, TextFormatter, about


def record(message: str, extra: dict | None = None, exc_info=None) -> logging.LogRecord:
    made = logging.getLogger("web.briefings.service").makeRecord(
        "web.briefings.service", logging.INFO, __file__, 1, message, (), exc_info, extra=extra
    )
    TemporalContext().filter(made)
    return made


def test_a_web_line_about_a_briefing_names_it_in_both_formats():
    line = record("briefing started", about("briefing-1"))
    assert TextFormatter().format(line) == (
        "INFO web.briefings.service: briefing started [workflow_id=briefing-1]"
    )
    assert json.loads(JsonFormatter().format(line))["workflow_id"] == "briefing-1"


def test_the_sdk_workflow_details_become_fields_and_a_line_without_any_has_none():
    details = {"workflow_id": "b-2", "run_id": "r-2", "workflow_type": "BriefingWorkflow"}
    line = json.loads(
        JsonFormatter().format(record("briefing completed", {"temporal_workflow": details}))
    )
    assert {key: line[key] for key in details} == details
    plain = json.loads(JsonFormatter().format(record("worker polling")))
    assert set(plain) == {"time", "level", "logger", "message"}
    assert TextFormatter().format(record("worker polling")).endswith("worker polling")


def test_an_error_and_its_traceback_stay_on_one_json_line():
    try:
        raise ValueError("feed broken\nacross lines")
    except ValueError:
        formatted = JsonFormatter().format(record("fetch failed", exc_info=sys.exc_info()))
    assert "\n" not in formatted
    assert "ValueError: feed broken\nacross lines" in json.loads(formatted)["error"]
