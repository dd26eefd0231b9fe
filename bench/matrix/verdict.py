"""What one cell's run showed, and which of the matrix's promises it broke."""

from dataclasses import dataclass, field

from bench.matrix.cells import Cell
from bench.matrix.plain_side import PlainOutcome

# Whose death loses exactly the LLM calls in flight: the worker's (its connections die with it;
# what was in flight is read from the history afterwards), when it is the only one. Beside a
# spare worker it loses only its own, at most those in flight: the LLM's log does not say which
# worker sent a call. The LLM's own death loses at most what its log showed unanswered just
# before the kill: an answer may still leave in between (seen once in six sample runs on a
# loaded machine). A server's or a web's death leaves the worker's calls running to their
# answers: at most those are redone.
PARTS_THAT_LOSE_CALLS = frozenset({"worker"})


@dataclass
class CellOutcome:
    cell: Cell
    briefing_id: str
    spare_worker: bool = False  # a second worker ran beside the killed one
    status: str | None = None
    # The first lines where the content departs from the reference's, by form; none: identical.
    differences: dict[str, str] = field(default_factory=dict)
    llm_calls: int = 0
    reference_llm_calls: int = 0
    in_flight_at_kill: int = 0
    stale_llm_calls: int = 0  # a summary's call received after its activity completed
    surplus_llm_calls: int = 0  # a summary's calls beyond its activity's attempts
    sse_saw_end: bool = False
    sse_missing_offsets: int = 0
    sse_repeated_offsets: int = 0
    sse_last_offset_missing: bool = False  # the client never got the run's final offset
    replay_failure: str | None = None
    resume_seconds: float | None = None  # kill -> next progress event the SSE client saw
    history_at_kill: str | None = None  # the last event the history had written at the kill
    # The moment passed unseen (a PDF's mid-download: its read stops at the headers): the run
    # went on unkilled, and was judged as a crash-free one.
    moment_missed: bool = False
    error: str | None = None  # the run could not be carried out (a moment never came...)
    plain: PlainOutcome | None = None  # a plain cell's comparison: its plain side

    @property
    def identical(self) -> bool:
        return self.status == "completed" and not self.differences

    @property
    def extra_llm_calls(self) -> int:
        return self.llm_calls - self.reference_llm_calls

    def violations(self) -> list[str]:
        if self.error is not None:
            return [f"not run to the end: {self.error}"]
        problems = []
        if self.status != "completed":
            problems.append(f"ended {self.status}")
        problems += [f"{form} differs from the reference" for form in self.differences]
        problems += self._llm_violations()
        if not self.sse_saw_end:
            problems.append("the SSE client never saw the end")
        if self.sse_missing_offsets or self.sse_last_offset_missing:
            problems.append(f"SSE offsets never seen: {self.sse_missing_offsets}")
        if self.sse_repeated_offsets:
            problems.append(f"SSE offsets delivered twice: {self.sse_repeated_offsets}")
        if self.replay_failure:
            problems.append(f"history does not replay: {self.replay_failure}")
        if self.plain is not None:
            problems += self.plain.violations()
        return problems

    def _llm_violations(self) -> list[str]:
        problems = []
        if self.stale_llm_calls:
            problems.append(f"LLM calls after their summary completed: {self.stale_llm_calls}")
        if self.surplus_llm_calls:
            problems.append(f"LLM calls beyond attempts: {self.surplus_llm_calls}")
        extra, in_flight = self.extra_llm_calls, self.in_flight_at_kill
        if self.cell.part in PARTS_THAT_LOSE_CALLS and not self.spare_worker:
            expected_ok = extra == in_flight
        else:
            expected_ok = 0 <= extra <= in_flight  # a call may still be redone if its answer
            # arrived while the server was down and the activity timed out meanwhile
        if not expected_ok:
            problems.append(f"{extra} LLM calls beyond the reference, {in_flight} in flight")
        return problems
