"""Support-desk API: the support lines' hours (public)."""

from datetime import datetime
from typing import Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from hub.api import errors

from . import hours

router = Router(tags=["support"])


class HoursIn(Schema):
    country: str = Field(..., min_length=2, max_length=2, pattern="^[A-Za-z]{2}$", description="e.g. CH")
    at: datetime | None = Field(None, description="ISO 8601 moment to ask about; now when left out")


class HoursOut(Schema):
    open: bool
    channel: Literal["email_or_phone", "phone_emergency_only"]
    phone: str
    email: str
    next_open: datetime = Field(..., description="now while open, else when the line opens next")
    time_zone: str
    country: str = Field(..., description="the line that answers (the first line for a country without one)")


@router.get("/hours/", response={200: HoursOut, **errors(400, 404)}, auth=None)
def support_hours(request, params: Query[HoursIn]):
    """Whether support is open for a country at a moment, how to reach it, and when it opens next."""
    at = params.at or timezone.now()
    if timezone.is_naive(at):
        return 400, {"detail": "at needs a time zone offset, e.g. 2026-12-05T22:00:00+01:00"}
    answer = hours.hours_at(params.country, at)
    if answer is None:
        return 404, {"detail": "no support line is set up"}
    return answer
