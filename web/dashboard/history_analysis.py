"""A briefing's event history, plus the server's pending activities, read into a timeline.

The history has an activity's scheduling and its end; Temporal writes its ActivityTaskStarted
only when the final attempt ends, carrying that attempt's number and the failure of the one
before. Activities still in flight are known from the description's pending activities alone:
state, attempt, last failure and heartbeat. Earlier failures are counted (attempt - 1) but
only the last one is ever visible.

Crashes: an attempt that ended by a heartbeat or start-to-close timeout was lost with its
worker (that is how a `kill -9` shows). The crash is dated when Temporal went on without it:
when the next attempt started, or for a retry still waiting, when it is due (else `now`); for an
activity whose last attempt timed out, when it timed out. So the date falls a little after the
kill, by the heartbeat timeout and the retry interval. Attempts cut off within ~10 s of each
other are one crash (see ledger.py).

Preserved work: for each crash, the activities that had completed before its date, with their
tokens and one LLM call per completed LLM activity. A run without durability restarts from
scratch after a crash and would have done all of them again; with Temporal they were completed
once and not redone. It counts only what was completed, not what might have followed. A crash
whose lost attempt was followed by a different failure is not seen: only the last failure is kept.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Literal

from google.protobuf.timestamp_pb2 import Timestamp
from pydantic import BaseModel
from temporalio.api.common.v1 import Payloads
from temporalio.api.enums.v1 import PendingActivityState, TimeoutType
from temporalio.api.failure.v1 import Failure
from temporalio.api.history.v1 import HistoryEvent
from temporalio.api.workflow.v1 import PendingActivityInfo
from temporalio.client import WorkflowExecutionDescription, WorkflowHistory
from temporalio.converter import PayloadConverter

from activities.models import (
    Briefing,
    FetchFeedInput,
    ReadArticleInput,
    StorySummary,
    SummarizeInput,
)
from core.domain import RunStatus
from web.dashboard.ledger import CutOff, build_ledger
from web.dashboard.timeline_models import ActivityEntry, ActivityState, BriefingTimeline
from web.source_labels import source_label
from workflows.failures import failure_text

WORKER_LOSS_TIMEOUTS = frozenset(
    {TimeoutType.TIMEOUT_TYPE_HEARTBEAT, TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE}
)
_RUNNING_ON_A_WORKER = frozenset(
    {
        PendingActivityState.PENDING_ACTIVITY_STATE_STARTED,
        PendingActivityState.PENDING_ACTIVITY_STATE_CANCEL_REQUESTED,
    }
)
# What each LLM activity returns, and the tokens it spent itself (a briefing's total usage
# includes the summaries' tokens, already counted with them).
_TOKENS: dict[str, tuple[type[BaseModel], Callable[[Any], int]]] = {
    "summarize_story": (StorySummary, lambda summary: summary.usage.total),
    "compose_briefing": (Briefing, lambda briefing: briefing.compose_usage.total),
}
# What a person reads for each activity: the story or the source, decoded from its input.
_LABELS: dict[str, tuple[type[BaseModel], Callable[[Any], str]]] = {
    "summarize_story": (SummarizeInput, lambda request: request.story.title),
    "fetch_feed": (FetchFeedInput, lambda request: source_label(request.url)),
    "read_article": (ReadArticleInput, lambda request: source_label(request.url)),
}
_RUN_CLOSED = {
    "workflow_execution_completed_event_attributes": RunStatus.COMPLETED,
    "workflow_execution_failed_event_attributes": RunStatus.FAILED,
    "workflow_execution_timed_out_event_attributes": RunStatus.TIMED_OUT,
    "workflow_execution_canceled_event_attributes": RunStatus.CANCELLED,
    "workflow_execution_terminated_event_attributes": RunStatus.TERMINATED,
    "workflow_execution_continued_as_new_event_attributes": RunStatus.CONTINUED_AS_NEW,
}

_ENDINGS = {
    "activity_task_completed_event_attributes": ActivityState.COMPLETED,
    "activity_task_failed_event_attributes": ActivityState.FAILED,
    "activity_task_timed_out_event_attributes": ActivityState.TIMED_OUT,
    "activity_task_canceled_event_attributes": ActivityState.CANCELLED,
}


def analyse_briefing(
    briefing_id: str,
    history: WorkflowHistory,
    description: WorkflowExecutionDescription | None,
    *,
    payload_converter: PayloadConverter,
    now: datetime,
) -> BriefingTimeline:
    """Pure: the timeline and ledger of one run, from what the server recorded."""
    reader = _HistoryReader(payload_converter)
    for event in history.events:
        reader.read(event)
    if description is not None:
        for pending in description.raw_description.pending_activities:
            reader.merge_pending(pending, now)
    if reader.status != RunStatus.RUNNING:
        reader.close_open_entries()
    entries = reader.entries
    return BriefingTimeline(
        briefing_id=briefing_id,
        status=reader.status,
        entries=entries,
        ledger=build_ledger(entries, reader.cut_offs),
    )


def is_worker_loss(failure: Failure) -> bool:
    return (
        failure.HasField("timeout_failure_info")
        and failure.timeout_failure_info.timeout_type in WORKER_LOSS_TIMEOUTS
    )


class _HistoryReader:
    def __init__(self, payload_converter: PayloadConverter) -> None:
        self._converter = payload_converter
        # Keyed by the ActivityTaskScheduled event id; insertion order is scheduling order.
        self._entries: dict[int, ActivityEntry] = {}
        self.cut_offs: list[CutOff] = []
        self.status = RunStatus.RUNNING

    @property
    def entries(self) -> list[ActivityEntry]:
        return list(self._entries.values())

    def read(self, event: HistoryEvent) -> None:
        kind = event.WhichOneof("attributes")
        if kind in _RUN_CLOSED:
            self.status = _RUN_CLOSED[kind]
        elif kind == "activity_task_scheduled_event_attributes":
            attributes = event.activity_task_scheduled_event_attributes
            self._entries[event.event_id] = ActivityEntry(
                activity_id=attributes.activity_id,
                activity_type=attributes.activity_type.name,
                label=self._label(attributes.activity_type.name, attributes.input),
                scheduled_at=_time(event.event_time),
            )
        elif kind == "activity_task_started_event_attributes":
            self._started(event)
        elif kind in _ENDINGS:
            self._ended(event, getattr(event, kind), _ENDINGS[kind])

    def _started(self, event: HistoryEvent) -> None:
        attributes = event.activity_task_started_event_attributes
        entry = self._entries[attributes.scheduled_event_id]
        entry.state = ActivityState.RUNNING
        _set_attempt(entry, attributes.attempt)
        entry.started_at = _time(event.event_time)
        if attributes.HasField("last_failure"):
            self._note_failure(entry, attributes.last_failure, entry.attempt - 1, entry.started_at)

    def _ended(self, event: HistoryEvent, attributes: Any, state: ActivityState) -> None:
        entry = self._entries[attributes.scheduled_event_id]
        entry.state = state
        entry.finished_at = _time(event.event_time)
        if state == ActivityState.COMPLETED:
            entry.tokens = self._tokens(entry.activity_type, attributes.result)
        elif state in (ActivityState.FAILED, ActivityState.TIMED_OUT):
            self._note_failure(entry, attributes.failure, entry.attempt, entry.finished_at)

    def merge_pending(self, pending: PendingActivityInfo, now: datetime) -> None:
        entry = self._open_entry(pending.activity_id)
        if entry is None:
            return  # Scheduled after the history was read, or ended since: the history wins.
        _set_attempt(entry, pending.attempt)
        entry.last_heartbeat_at = _optional_time(pending, "last_heartbeat_time")
        if pending.state in _RUNNING_ON_A_WORKER:
            entry.state = ActivityState.RUNNING
            entry.started_at = _optional_time(pending, "last_started_time")
            went_on_at = entry.started_at
        else:
            entry.state = ActivityState.RETRYING if entry.attempt > 1 else ActivityState.SCHEDULED
            went_on_at = _optional_time(pending, "next_attempt_schedule_time")
        if pending.HasField("last_failure"):
            self._note_failure(entry, pending.last_failure, entry.attempt - 1, went_on_at or now)

    def close_open_entries(self) -> None:
        # A closed run abandons its activities in flight: their results would be discarded.
        for entry in self._entries.values():
            if entry.finished_at is None:
                entry.state = ActivityState.CANCELLED

    def _open_entry(self, activity_id: str) -> ActivityEntry | None:
        for entry in self._entries.values():
            if entry.activity_id == activity_id and entry.finished_at is None:
                return entry
        return None

    def _note_failure(
        self, entry: ActivityEntry, failure: Failure, attempt: int, went_on_at: datetime
    ) -> None:
        entry.last_failure = failure_text(failure)
        if is_worker_loss(failure):
            self.cut_offs.append(CutOff(entry.activity_id, attempt, noticed_at=went_on_at))

    def _label(self, activity_type: str, arguments: Payloads) -> str | None:
        reading = _LABELS.get(activity_type)
        if reading is None or not arguments.payloads:
            return None
        input_type, label = reading
        [value] = self._converter.from_payloads(arguments.payloads, [input_type])
        return label(value)

    def _tokens(self, activity_type: str, result: Payloads) -> int:
        reading = _TOKENS.get(activity_type)
        if reading is None or not result.payloads:
            return 0
        result_type, spent = reading
        [value] = self._converter.from_payloads(result.payloads, [result_type])
        return spent(value)


def _set_attempt(entry: ActivityEntry, attempt: int) -> None:
    entry.attempt = max(attempt, 1)
    entry.failed_attempts = entry.attempt - 1


# The pending activity's timestamps we read, by their protobuf field names.
_PendingTime = Literal["last_heartbeat_time", "last_started_time", "next_attempt_schedule_time"]


def _time(timestamp: Timestamp) -> datetime:
    return timestamp.ToDatetime(tzinfo=UTC)


def _optional_time(pending: PendingActivityInfo, field: _PendingTime) -> datetime | None:
    return _time(getattr(pending, field)) if pending.HasField(field) else None
