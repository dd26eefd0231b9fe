"""What the plain agent answers about a run: the comparison's snapshot, and every step."""

from activities.plain_runs.models import PlainRunSnapshot
from workflows.models import BriefingProgress


class PlainRunView(PlainRunSnapshot):
    progress: BriefingProgress
