"""`briefing worker` with the LLM's words sent another way, for bench/live_text_channels.py.

    python -m bench.live_text_worker --channel heartbeats|stream|off

- heartbeats: the product as it is (activities/llm/live_text.py);
- stream: the words published on the workflow's own stream instead (Temporal Workflow Streams,
  topic `text`, batched every `--stream-batch-ms`), the heartbeats left bare;
- off: no words at all, the heartbeats bare: the briefing as it ran before words were shown.

Run with BRIEFING_LIVE_TEXT_INTERVAL=4 for stream and off: the SDK's own heartbeat throttle
for a 5 s heartbeat timeout, as before, so only the channel under test differs.
"""

import argparse
import asyncio
import logging
from datetime import timedelta
from typing import Any

from pydantic import BaseModel
from temporalio import activity
from temporalio.contrib.workflow_streams import WorkflowStreamClient
from temporalio.worker import (
    ActivityInboundInterceptor,
    ActivityOutboundInterceptor,
    ExecuteActivityInput,
    Interceptor,
)

from activities.llm.live_text import LiveText
from core.settings import get_settings
from worker.main import run_worker

TEXT_TOPIC = "text"
WRITING_ACTIVITIES = {"summarize_story", "compose_briefing"}


class StreamedText(BaseModel):
    """What the stream carries: which step wrote it, and its LiveText."""

    step: str
    live: LiveText


class ChannelInterceptor(Interceptor):
    def __init__(self, channel: str, batch_interval: timedelta) -> None:
        self.channel = channel
        self.batch_interval = batch_interval

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _Inbound(next, self)


class _Inbound(ActivityInboundInterceptor):
    def __init__(self, next: ActivityInboundInterceptor, config: ChannelInterceptor) -> None:
        super().__init__(next)
        self._config = config
        self._outbound: _Outbound | None = None

    def init(self, outbound: ActivityOutboundInterceptor) -> None:
        self._outbound = _Outbound(outbound)
        super().init(self._outbound)

    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        assert self._outbound is not None  # init comes first
        if activity.info().activity_type not in WRITING_ACTIVITIES:
            return await super().execute_activity(input)
        self._outbound.strip = True
        if self._config.channel != "stream":
            return await super().execute_activity(input)
        stream = WorkflowStreamClient.from_within_activity(
            batch_interval=self._config.batch_interval
        )
        async with stream:
            self._outbound.publish = stream.topic(TEXT_TOPIC, type=StreamedText).publish
            return await super().execute_activity(input)


class _Outbound(ActivityOutboundInterceptor):
    strip = False
    publish: Any = None

    def heartbeat(self, *details: Any) -> None:
        if not self.strip:
            return super().heartbeat(*details)
        for detail in details:
            if isinstance(detail, LiveText) and self.publish is not None:
                self.publish(StreamedText(step=activity.info().activity_id, live=detail))
        return super().heartbeat()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--channel", choices=["heartbeats", "stream", "off"], required=True)
    parser.add_argument("--stream-batch-ms", type=float, default=100.0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    interceptors = []
    if args.channel != "heartbeats":
        batch = timedelta(milliseconds=args.stream_batch_ms)
        interceptors.append(ChannelInterceptor(args.channel, batch))
    asyncio.run(run_worker(get_settings(), interceptors))


if __name__ == "__main__":
    main()
