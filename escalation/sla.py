"""SLA targets (C3, C4): due times counted in the business hours of the request's support line.

Urgent requests count around the clock (on-call answers them); the others count working minutes of their
line only. While a request waits on the customer its clock stops: the wait is added to its due times.
"""

from datetime import datetime, timedelta

from django.conf import settings

from .hours import Calendar, line_for
from .models import Priority


def calendar_for(country: str) -> Calendar | None:
    line = line_for(country)
    return Calendar(line) if line else None


def _after(start: datetime, minutes: float, priority: str, calendar: Calendar | None) -> datetime:
    if priority == Priority.URGENT or calendar is None:
        return start + timedelta(minutes=minutes)
    return calendar.add_working_minutes(start, minutes)


def due_times(*, priority: str, start: datetime, country: str) -> tuple[datetime, datetime]:
    """When the first response and the resolution are due for a request received at ``start``."""
    first, resolution = settings.SUPPORT_SLA_MINUTES[priority]
    calendar = calendar_for(country)
    return _after(start, first, priority, calendar), _after(start, resolution, priority, calendar)


def postponed(due: datetime | None, *, priority: str, country: str, waited_from: datetime, until: datetime):
    """``due`` moved on by the time counted between ``waited_from`` and ``until`` (a wait on the customer)."""
    if due is None:
        return None
    calendar = calendar_for(country)
    if priority == Priority.URGENT or calendar is None:
        return due + (until - waited_from)
    return calendar.add_working_minutes(due, calendar.working_minutes_between(waited_from, until))
