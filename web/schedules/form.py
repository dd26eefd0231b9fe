"""The new-schedule form: what a person typed, checked by SchedulePlan's rules, kept on errors."""

from dataclasses import dataclass, field

from fastapi import Request, status

from web.form_flow import (
    MAX_STORIES_MESSAGE,
    TOPIC_MESSAGE,
    Banner,
    Choice,
    FormFlow,
    Refusal,
    validated,
)
from web.schedules.plan import DEFAULT_MAX_STORIES, WORKING_DAYS, SchedulePlan, Weekday
from web.schedules.service import ScheduleConflict, ScheduleRejected
from web.submitted_form import SubmittedForm, new_idempotency_key

MESSAGES = {
    "topic": TOPIC_MESSAGE,
    "days": "Choose at least one day of the week.",
    "time": "Enter a time of day as HH:MM, from 00:00 to 23:59.",
    "time_zone": "Enter an IANA time zone, such as Europe/Paris or UTC.",
    "max_stories": MAX_STORIES_MESSAGE,
}
SCHEDULE_FORM = FormFlow(
    noun="schedule",
    verb="created",
    page="schedules.html",
    key_taken=ScheduleConflict,
    refusals=(
        Refusal(
            ScheduleRejected,
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            lambda error: Banner("error", f"Temporal refused this schedule: {error}"),
        ),
    ),
)
# Offered in the zone field's datalist; any IANA zone may be typed.
COMMON_TIME_ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Moscow",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
)


@dataclass
class ScheduleForm:
    topic: str = ""
    days: list[str] = field(default_factory=lambda: [day.value for day in WORKING_DAYS])
    time: str = "07:00"
    time_zone: str = "UTC"
    max_stories: str = str(DEFAULT_MAX_STORIES)
    idempotency_key: str = field(default_factory=new_idempotency_key)
    errors: dict[str, str] = field(default_factory=dict)
    banner: Banner | None = None

    @classmethod
    async def submitted(cls, request: Request) -> "ScheduleForm":
        form = await SubmittedForm.read(request)
        return cls(
            topic=form.text("topic"),
            days=form.values("days"),
            time=form.text("time"),
            time_zone=form.text("time_zone"),
            max_stories=form.text("max_stories"),
            idempotency_key=form.idempotency_key(),
        )

    @property
    def day_choices(self) -> list[Choice]:
        return [Choice(day.value, day.label, day.value in self.days) for day in Weekday]

    @property
    def time_zones(self) -> tuple[str, ...]:
        return COMMON_TIME_ZONES

    def validate(self) -> SchedulePlan | None:
        """The plan to schedule, or None with `errors` set, one message per field."""
        candidate = {
            "topic": self.topic,
            "days": self.days,
            "time": self.time,
            "time_zone": self.time_zone,
            "max_stories": self.max_stories,
        }
        plan, self.errors = validated(SchedulePlan, candidate, MESSAGES)
        return plan
