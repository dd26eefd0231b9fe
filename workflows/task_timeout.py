"""How long a worker may hold a workflow task before Temporal gives it to another worker.

A worker killed while it holds one (the common case: the next task reaches it within a
millisecond of the event before, bench/crash_matrix.py) leaves the run still until this passes:
Temporal's default of 10 s was most of a worker kill's cost. Our workflow tasks take
milliseconds on a quiet machine, and none timed out in bench/heartbeat_false_alarms.py's
briefings under 8 CPU hogs; inside the test suite under far worse load a fresh worker's first
tasks once took 5.7-7.2 s. A task that times out is retried: it costs time, never work.
Every start of a briefing or a comparison, and the comparison's durable child, sets it.
"""

from datetime import timedelta

WORKFLOW_TASK_TIMEOUT = timedelta(seconds=3)
