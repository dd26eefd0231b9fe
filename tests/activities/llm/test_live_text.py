"""An attempt's LiveText: heartbeated as it grows, and what the attempts before it lost."""

import dataclasses

from temporalio.testing import ActivityEnvironment

from activities.llm.live_text import LiveText, LiveWriting, LostAttempt


def environment(attempt: int, previous: list) -> tuple[ActivityEnvironment, list]:
    env = ActivityEnvironment()
    env.info = dataclasses.replace(env.info, attempt=attempt, heartbeat_details=previous)
    beats: list = []
    env.on_heartbeat = lambda *details: beats.append(details)
    return env, beats


def test_each_delta_is_heartbeated_as_the_text_so_far():
    env, beats = environment(1, [])

    def write() -> LiveWriting:
        writing = LiveWriting()
        writing.on_delta("One")
        writing.on_delta("One two")
        return writing

    writing = env.run(write)
    assert [beat[0].text for beat in beats] == ["One", "One two"]
    assert all(beat[0].attempt == 1 and beat[0].written_at for beat in beats)
    assert writing.heartbeat_details() == (beats[-1][0],)


def test_a_retry_carries_what_the_failed_attempt_wrote_as_lost():
    # As the next attempt gets them from the server: decoded without a type, a dict.
    first = LiveText(attempt=1, text="Five words before the kill").model_dump(mode="json")
    env, _ = environment(2, [first])
    assert env.run(LiveWriting).details.lost == [
        LostAttempt(attempt=1, text="Five words before the kill")
    ]
    second = LiveText(attempt=2, text="", lost=[LostAttempt(attempt=1, text="Five")])
    env, _ = environment(3, [second.model_dump(mode="json")])
    # Attempt 2 wrote nothing before failing: only attempt 1's loss is told.
    assert [lost.attempt for lost in env.run(LiveWriting).details.lost] == [1]


def test_details_of_another_shape_are_no_loss():
    env, _ = environment(2, ["a fetch's progress"])
    assert env.run(LiveWriting).details.lost == []
