"""Reading one briefing's history and description from Temporal into its timeline."""

from datetime import UTC, datetime

from temporalio.client import Client

from web.briefings.service import describe_briefing
from web.dashboard.history_analysis import analyse_briefing
from web.dashboard.timeline_models import BriefingTimeline


async def load_timeline(
    client: Client, briefing_id: str, *, now: datetime | None = None
) -> BriefingTimeline:
    """BriefingNotFound for an unknown id; RPC errors pass through (wrap in temporal_call)."""
    # Described first: an activity pending there is then always in the (later) history, and one
    # that ended in between is taken from the history.
    description = await describe_briefing(client, briefing_id)
    history = await client.get_workflow_handle(briefing_id).fetch_history()
    return analyse_briefing(
        briefing_id,
        history,
        description,
        payload_converter=client.data_converter.payload_converter,
        now=now or datetime.now(UTC),
    )
