"""What the action log says of each chaos action, in the presenter's words."""

from demo.newsroom.faults import DEFAULT_SLOW_SECONDS, DEFAULT_TIMEOUT_SECONDS
from stack.control_models import KILL_THE_SERVERS
from web.dashboard.fault_controls import FeedFault, LlmFault


def describe_servers_kill(delay: float) -> str:
    names = " and ".join(KILL_THE_SERVERS.parts)
    return f"killed the servers ({names}) at the same instant (SIGKILL), back in {delay:g} s"


def describe_llm_fault(fault: LlmFault) -> str:
    calls = f"the next {fault.count} calls" if fault.count else "every call"
    if fault.mode == "rate_limit":
        return f"{calls} answer 429 (Retry-After {fault.seconds or 1:g} s)"
    if fault.mode == "error":
        return f"{calls} answer 500"
    if fault.mode == "hang":
        return f"{calls} hang for {fault.seconds or 120:g} s"
    if fault.mode == "cut":
        return f"{calls} break off after {fault.words if fault.words is not None else 5} words"
    return f"slowed to {fault.tokens_per_second:g} tokens/s"


def describe_feed_fault(fault: FeedFault) -> str:
    return {
        "error": "answers 500",
        "timeout": f"hangs for {fault.seconds or DEFAULT_TIMEOUT_SECONDS:g} s",
        "malformed": "serves a malformed feed",
        "empty": "serves an empty feed",
        "oversize": "serves an oversized feed",
        "slow": f"trickles in over {fault.seconds or DEFAULT_SLOW_SECONDS:g} s",
    }[fault.mode]
