"""What a briefing is doing, in a line, for the Temporal UI's "current details" of the run.

Operators see eight `summarize_story` rows otherwise; this says where the briefing is (and the
activities' own summaries, set where each is called, say which story each row is).
"""

from workflows.models import BriefingProgress, BriefingStatus, StepKind, StepState

DOING = {
    StepKind.FETCH: "fetching sources",
    StepKind.SELECT: "selecting stories",
    StepKind.REVIEW: "waiting for the editor's review",
    StepKind.READ: "reading story pages",
    StepKind.SUMMARIZE: "summarising",
    StepKind.COMPOSE: "composing the briefing",
}


def current_details(progress: BriefingProgress) -> str:
    """E.g. "summarising: 5 of 8 done, 1 retrying (attempt 2)", or the run's end."""
    if progress.status != BriefingStatus.RUNNING:
        return progress.status.value + (f": {progress.error}" if progress.error else "")
    under_way = [s for s in progress.steps if s.state in (StepState.RUNNING, StepState.RETRYING)]
    if not under_way:
        return "starting" if not progress.steps else "between steps"
    kind = under_way[-1].kind
    of_kind = [step for step in progress.steps if step.kind == kind]
    if len(of_kind) == 1 and under_way[-1].state == StepState.RUNNING:
        return DOING[kind]  # "0 of 1 done" says nothing more
    done = sum(step.state == StepState.DONE for step in of_kind)
    line = f"{DOING[kind]}: {done} of {len(of_kind)} done"
    retrying = [step for step in of_kind if step.state == StepState.RETRYING]
    if retrying:
        line += f", {len(retrying)} retrying (attempt {max(s.attempt for s in retrying)})"
    return line
