"""What the workflow histories say: each activity's attempts, and when each summary completed.

A summarize activity is tied to the LLM requests it made by the request fingerprint: the same
messages the activity builds (activities/llm/prompts.py), hashed as the offline LLM hashes them.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.contrib.pydantic import pydantic_data_converter

from activities.llm.prompts import story_summary_messages
from activities.models import SummarizeInput
from demo.offline_llm.request_log import fingerprint_messages

SUMMARIZE_ACTIVITY = "summarize_story"


@dataclass
class ActivityRecord:
    activity_id: str
    activity_type: str
    attempts: int = 1
    completed_at: datetime | None = None
    fingerprint: str | None = None  # summarize_story only


@dataclass
class RunRecord:
    briefing_id: str
    status: WorkflowExecutionStatus | None
    activities: list[ActivityRecord] = field(default_factory=list)

    @property
    def summaries(self) -> list[ActivityRecord]:
        return [a for a in self.activities if a.activity_type == SUMMARIZE_ACTIVITY]


async def read_run(client: Client, briefing_id: str) -> RunRecord:
    handle = client.get_workflow_handle(briefing_id)
    description = await handle.describe()
    history = await handle.fetch_history()
    by_scheduled_id: dict[int, ActivityRecord] = {}
    for event in history.events:
        _apply(event, by_scheduled_id)
    return RunRecord(briefing_id, description.status, list(by_scheduled_id.values()))


def _apply(event: HistoryEvent, activities: dict[int, ActivityRecord]) -> None:
    if event.HasField("activity_task_scheduled_event_attributes"):
        scheduled = event.activity_task_scheduled_event_attributes
        record = ActivityRecord(scheduled.activity_id, scheduled.activity_type.name)
        if record.activity_type == SUMMARIZE_ACTIVITY:
            record.fingerprint = _summary_fingerprint(scheduled.input.payloads)
        activities[event.event_id] = record
    elif event.HasField("activity_task_started_event_attributes"):
        started = event.activity_task_started_event_attributes
        # Written once, for the last attempt: its number counts every try before it.
        activities[started.scheduled_event_id].attempts = started.attempt
    elif event.HasField("activity_task_completed_event_attributes"):
        completed = event.activity_task_completed_event_attributes
        activities[completed.scheduled_event_id].completed_at = event.event_time.ToDatetime(
            tzinfo=UTC
        )


def _summary_fingerprint(payloads) -> str:
    [request] = pydantic_data_converter.payload_converter.from_payloads(
        list(payloads), [SummarizeInput]
    )
    messages = story_summary_messages(
        topic=request.topic, title=request.story.title, text=request.text
    )
    return fingerprint_messages(messages)


async def list_workflow_ids(client: Client) -> list[str]:
    """Every briefing run the server knows, one entry per run (so a duplicate run shows twice)."""
    query = "WorkflowType = 'BriefingWorkflow'"
    return [execution.id async for execution in client.list_workflows(query)]
