"""What one soak run does: how many briefings, how many kills, and how hard the LLM misbehaves."""

import random
from dataclasses import dataclass

# Topics the newsroom has stories for; each briefing adds its own tag word (see `topic`).
BASE_TOPICS = ("science", "sport", "business", "technology", "world", "culture")


@dataclass(frozen=True)
class SoakConfig:
    briefings: int = 20
    kills: int = 30
    seed: int = 1
    stories_per_briefing: int = 4
    # Pace of the offline LLM: a three-sentence summary takes about two seconds.
    tokens_per_second: float = 40.0
    # Seconds between two kills, drawn uniformly; and how long a killed part stays down. The
    # gap leaves time to recover (a worker's calls are retried after their 3 s heartbeat
    # timeout, a web or server takes seconds to start on a busy machine), so that most kills
    # land on a moving stack instead of piling up into one long outage.
    kill_gap: tuple[float, float] = (5.0, 12.0)
    down_time: tuple[float, float] = (0.5, 3.0)
    # Briefings start evenly (each at a random moment of its own slot) over this share of the
    # kills' expected span, so kills keep landing on running briefings, not on an idle stack.
    start_spread: float = 0.9
    # LLM faults armed in turn every `fault_interval` seconds: 429s and extra latency.
    fault_interval: float = 3.0
    rate_limits_per_arm: int = 2
    retry_after_seconds: float = 1.0
    slow_calls_per_arm: int = 2
    slow_call_seconds: float = 1.5
    # After the last kill, how long every briefing gets to finish before it counts as stuck.
    settle_timeout: float = 180.0

    @property
    def expected_chaos_seconds(self) -> float:
        return self.kills * sum(self.kill_gap) / 2

    def start_delays(self, rng: random.Random) -> list[float]:
        """Seconds from the soak's start to each briefing's start."""
        slot = self.expected_chaos_seconds * self.start_spread / self.briefings
        return [(index + rng.random()) * slot for index in range(self.briefings)]

    def topic(self, index: int) -> str:
        # A tag of its own per briefing ties each LLM request to exactly one workflow: the
        # request's fingerprint covers the topic line of the prompt.
        return f"{BASE_TOPICS[index % len(BASE_TOPICS)]} soak{index:03d}"

    def idempotency_key(self, index: int) -> str:
        return f"chaos-soak-{self.seed}-{index}"
