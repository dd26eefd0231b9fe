"""The worker's timing settings reach both of its workers (worker/main.py)."""

from datetime import timedelta

from activities.heartbeats import HEARTBEAT_INTERVAL_SECONDS
from worker.main import build_workers


async def test_the_shutdown_grace_setting_and_the_one_second_beat_reach_both_workers(
    temporal_client, settings
):
    settings = settings.model_copy(
        update={"worker_shutdown_grace_seconds": 7, "live_text_interval_seconds": 2}
    )
    workers = build_workers(temporal_client, settings)
    for worker in (workers.briefing, workers.feeds):
        config = worker.config()
        assert config["graceful_shutdown_timeout"] == timedelta(seconds=7)
        # Each beat sent as it is made, even with words sent less often than once a second.
        beat = timedelta(seconds=HEARTBEAT_INTERVAL_SECONDS)
        assert config["max_heartbeat_throttle_interval"] == beat


async def test_the_sticky_queue_timeout_setting_reaches_the_workflow_worker(
    temporal_client, settings
):
    settings = settings.model_copy(update={"sticky_queue_timeout_seconds": 0.75})
    config = build_workers(temporal_client, settings).briefing.config()

    assert config["sticky_queue_schedule_to_start_timeout"] == timedelta(seconds=0.75)
