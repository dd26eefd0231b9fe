"""What a parsing child and each of its jobs may use, apart from the worker-level limits
(limits.py): a child imports this and not httpx, which costs its start-up 0.08 s of CPU."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ParserChildLimits:
    """What a parsing child is started with: only children with the same limits are shared."""

    cpu_seconds: int
    memory_bytes: int


@dataclass(frozen=True)
class ChildJobLimits:
    """One job in a parsing child: its CPU and memory, and the wall-clock backstop."""

    cpu_seconds: int
    memory_bytes: int
    wall_seconds: float

    @property
    def child(self) -> ParserChildLimits:
        return ParserChildLimits(self.cpu_seconds, self.memory_bytes)


def size_text(size: int) -> str:
    """2 MiB, 97 KiB: a cap as a person would say it."""
    mebibytes, kibibytes = size / (1024 * 1024), size / 1024
    return f"{mebibytes:g} MiB" if mebibytes >= 1 else f"{kibibytes:.0f} KiB"
