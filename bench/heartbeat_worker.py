"""`briefing worker` whose workflows give every heartbeating activity another heartbeat timeout,
for bench/heartbeat_false_alarms.py.

    python -m bench.heartbeat_worker --heartbeat-seconds 2 [--sticky-seconds 1]

The timeouts are the workflow's to set (workflows/activity_options.py); a workflow outbound
interceptor changes them as each activity is scheduled, so the product's code runs unchanged.
A heartbeat timeout is not part of what a replay checks, so the histories stay the product's.
"""

import argparse
import asyncio
import logging
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.worker import (
    Interceptor,
    StartActivityInput,
    WorkflowInboundInterceptor,
    WorkflowInterceptorClassInput,
    WorkflowOutboundInterceptor,
)

from core.settings import get_settings
from worker.main import run_worker


def heartbeat_timeout_interceptor(timeout: timedelta) -> Interceptor:
    class _Outbound(WorkflowOutboundInterceptor):
        def start_activity(self, input: StartActivityInput) -> workflow.ActivityHandle[Any]:
            if input.heartbeat_timeout is not None:
                input.heartbeat_timeout = timeout
            return super().start_activity(input)

    class _Inbound(WorkflowInboundInterceptor):
        def init(self, outbound: WorkflowOutboundInterceptor) -> None:
            super().init(_Outbound(outbound))

    class _Interceptor(Interceptor):
        def workflow_interceptor_class(
            self, input: WorkflowInterceptorClassInput
        ) -> type[WorkflowInboundInterceptor]:
            return _Inbound

    return _Interceptor()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--heartbeat-seconds", type=float, required=True)
    parser.add_argument("--sticky-seconds", type=float, help="BRIEFING_STICKY_QUEUE_TIMEOUT's")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    timeout = timedelta(seconds=args.heartbeat_seconds)
    settings = get_settings()
    if args.sticky_seconds is not None:
        settings = settings.model_copy(update={"sticky_queue_timeout_seconds": args.sticky_seconds})
    asyncio.run(run_worker(settings, [heartbeat_timeout_interceptor(timeout)]))


if __name__ == "__main__":
    main()
