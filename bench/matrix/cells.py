"""The matrix's cells: what is killed, and the moment of the run it is killed at.

Moments name history boundaries of one activity (by its activity id, which is the same in every
run of the fixed request: story ids are hashes of their links), the editor's review wait, and
an LLM call in flight. The full matrix is built from the reference run's own activities.
"""

from dataclasses import dataclass
from enum import StrEnum

# kill -9 of: the briefing worker, the Temporal dev server, the web, the offline LLM.
PARTS = ("worker", "server", "web", "llm")
# The plain agent's process: its cells run a comparison, and are killed at its LLM calls.
PLAIN = "plain"
# A crash-free run compared with the reference: the request itself is deterministic.
NO_KILL = "none"


class Boundary(StrEnum):
    SCHEDULED = "scheduled"  # the history shows ActivityTaskScheduled
    # The server holds the attempt as started (describe's pending activity): the history only
    # writes ActivityTaskStarted with the attempt's end, so it cannot show this moment.
    STARTED = "started"
    # A fetch's or read's document half downloaded: the newsroom is still sending its body.
    DOWNLOAD = "mid-download"
    # ActivityTaskCompleted seen, the kill sent before the next workflow task is answered.
    COMPLETED = "completed"
    REVIEW_WAIT = "review-wait"  # the review's timer started: the run waits for the editor
    SUMMARY_CALL = "summary-call"  # a summary's LLM request received, not yet answered
    # A summary's answer part-streamed: its live text (the activity's heartbeat) shows words.
    SUMMARY_STREAM = "summary-stream"
    LEAD_CALL = "lead-call"  # compose's LLM request (the lead paragraph) received, unanswered


ACTIVITY_BOUNDARIES = (Boundary.SCHEDULED, Boundary.STARTED, Boundary.COMPLETED)
PLAIN_BOUNDARIES = (Boundary.SUMMARY_CALL, Boundary.LEAD_CALL)
# The activities that download (by their ids' prefix), where a kill can land mid-download.
DOWNLOADS = ("fetch-", "read-")


@dataclass(frozen=True)
class FixedRequest:
    """The one request every cell runs: fixed sources, so every run picks the same stories."""

    topic: str
    sources: list[str]
    max_stories: int


@dataclass(frozen=True)
class Cell:
    part: str
    boundary: Boundary | None = None  # None: the crash-free run
    activity_id: str | None = None  # for ACTIVITY_BOUNDARIES

    @property
    def review(self) -> bool:
        """The run waits for an editor: only the review cells have a review to kill during."""
        return self.boundary == Boundary.REVIEW_WAIT

    @property
    def name(self) -> str:
        if self.boundary is None:
            return self.part
        moment = str(self.boundary)
        if self.activity_id is not None:
            moment += f" {self.activity_id}"
        return f"{self.part} @ {moment}"


def full_matrix(activity_ids: list[str]) -> list[Cell]:
    """Every part at every boundary of every activity of the reference run, and at the other
    moments; the crash-free runs (without and with a review) first."""
    cells = [Cell(NO_KILL), Cell(NO_KILL, Boundary.REVIEW_WAIT)]
    for part in PARTS:
        for activity_id in activity_ids:
            cells += [Cell(part, boundary, activity_id) for boundary in ACTIVITY_BOUNDARIES]
            if activity_id.startswith(DOWNLOADS):
                cells.append(Cell(part, Boundary.DOWNLOAD, activity_id))
        cells += [
            Cell(part, Boundary.REVIEW_WAIT),
            Cell(part, Boundary.SUMMARY_CALL),
            Cell(part, Boundary.SUMMARY_STREAM),
            Cell(part, Boundary.LEAD_CALL),
        ]
    return cells + [Cell(PLAIN, boundary) for boundary in PLAIN_BOUNDARIES]


def sample_matrix(activity_ids: list[str]) -> list[Cell]:
    """CI's sample: every part killed, each at different moments, every kind of moment met."""
    first_fetch = activity_ids[0]
    summaries = [a for a in activity_ids if a.startswith("summarize-")]
    reads = [a for a in activity_ids if a.startswith("read-")]
    return [
        Cell(NO_KILL),
        Cell("worker", Boundary.SCHEDULED, first_fetch),
        Cell("worker", Boundary.SUMMARY_CALL),
        Cell("worker", Boundary.SUMMARY_STREAM),
        Cell("worker", Boundary.COMPLETED, summaries[-1]),
        Cell("worker", Boundary.DOWNLOAD, reads[0]),  # an article page: a PDF sends no body
        Cell("server", Boundary.STARTED, reads[0]),
        Cell("server", Boundary.LEAD_CALL),
        Cell("server", Boundary.REVIEW_WAIT),
        Cell("web", Boundary.COMPLETED, first_fetch),
        Cell("server", Boundary.DOWNLOAD, first_fetch),
        Cell("llm", Boundary.SUMMARY_STREAM),
        Cell("llm", Boundary.SCHEDULED, "compose"),
        Cell(PLAIN, Boundary.SUMMARY_CALL),
    ]
