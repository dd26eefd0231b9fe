"""How long a worker may hold a workflow task before Temporal gives it to another worker.

A worker killed while it holds one (the common case: the next task reaches it within a
millisecond of the event before, bench/crash_matrix.py) leaves the run still until this passes:
Temporal's default of 10 s was most of a worker kill's cost. Our workflow tasks take
milliseconds (a full replay of a long briefing, tens of them), so 3 s leaves ample slack;
bench/heartbeat_false_alarms.py counts the tasks that timed out with nobody killed.
Every start of a briefing or a comparison, and the comparison's durable child, sets it.
"""

from datetime import timedelta

WORKFLOW_TASK_TIMEOUT = timedelta(seconds=3)
