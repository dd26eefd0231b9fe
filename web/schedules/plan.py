"""What a schedule runs and when: a topic on some weekdays at HH:MM in a time zone, in words."""

import re
from datetime import datetime
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from pydantic import BaseModel, ConfigDict, Field, field_validator
from temporalio.client import ScheduleCalendarSpec, ScheduleRange

from core.domain import Topic
from workflows.models import MAX_STORIES_LIMIT, BriefingRequest

DEFAULT_MAX_STORIES = BriefingRequest.model_fields["max_stories"].default
_CLOCK_TIME = re.compile(r"(\d{1,2}):(\d{2})")


class Weekday(StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def position(self) -> int:
        return list(Weekday).index(self)

    @property
    def temporal_number(self) -> int:
        # Temporal counts the days of the week from Sunday = 0.
        return (self.position + 1) % 7


WORKING_DAYS = (Weekday.MON, Weekday.TUE, Weekday.WED, Weekday.THU, Weekday.FRI)


@cache
def _zones_by_lower_name() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


class SchedulePlan(BaseModel):
    """Kept whole in the schedule's memo, so the list can say it in words."""

    model_config = ConfigDict(frozen=True)

    topic: Topic
    days: tuple[Weekday, ...] = Field(min_length=1)
    time: str
    time_zone: str
    max_stories: int = Field(DEFAULT_MAX_STORIES, ge=1, le=MAX_STORIES_LIMIT)

    @field_validator("days")
    @classmethod
    def _days_in_week_order(cls, days: tuple[Weekday, ...]) -> tuple[Weekday, ...]:
        return tuple(day for day in Weekday if day in days)

    @field_validator("time")
    @classmethod
    def _time_of_day(cls, time: str) -> str:
        found = _CLOCK_TIME.fullmatch(time.strip())
        if not found or int(found[1]) > 23 or int(found[2]) > 59:
            raise ValueError("not a time of day as HH:MM")
        return f"{int(found[1]):02d}:{found[2]}"

    @field_validator("time_zone")
    @classmethod
    def _known_time_zone(cls, name: str) -> str:
        canonical = _zones_by_lower_name().get(name.strip().lower())
        if canonical is None:
            raise ValueError("not an IANA time zone")
        return canonical

    @property
    def hour(self) -> int:
        return int(self.time[:2])

    @property
    def minute(self) -> int:
        return int(self.time[3:])

    def in_words(self) -> str:
        return f"{days_in_words(self.days)} at {self.time} {self.time_zone}"

    def calendar(self) -> ScheduleCalendarSpec:
        return ScheduleCalendarSpec(
            second=[ScheduleRange(0)],
            minute=[ScheduleRange(self.minute)],
            hour=[ScheduleRange(self.hour)],
            day_of_week=[ScheduleRange(day.temporal_number) for day in self.days],
            comment=self.in_words(),
        )

    def local_time(self, moment: datetime) -> str:
        """A moment as read where the schedule lives: "Mon 30 Nov 2026, 07:00 Europe/Paris"."""
        local = moment.astimezone(ZoneInfo(self.time_zone))
        return f"{local:%a} {local.day} {local:%b %Y, %H:%M} {self.time_zone}"


def days_in_words(days: tuple[Weekday, ...]) -> str:
    """Runs of three or more days as a range: "Mon–Fri", "Mon–Wed, Fri", "Sat, Sun"."""
    if len(days) == len(Weekday):
        return "Every day"
    runs: list[list[Weekday]] = []
    for day in days:
        if runs and day.position == runs[-1][-1].position + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{run[0].label}–{run[-1].label}")
        else:
            parts.extend(day.label for day in run)
    return ", ".join(parts)
