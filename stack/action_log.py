"""What happened to the stack, newest last: kept by `briefing up`, so it outlives a web restart."""

import threading
from collections import deque
from datetime import UTC, datetime

from stack.control_models import StackAction

MAX_ACTIONS = 200


class ActionLog:
    def __init__(self, capacity: int = MAX_ACTIONS) -> None:
        self._actions: deque[StackAction] = deque(maxlen=capacity)
        self._lock = threading.Lock()

    def append(self, source: str, text: str) -> StackAction:
        action = StackAction(at=datetime.now(UTC), source=source, text=text)
        with self._lock:
            self._actions.append(action)
        return action

    def entries(self) -> list[StackAction]:
        with self._lock:
            return list(self._actions)
