"""Business hours of the support lines (C1, C3): when a line is open, when it opens next, and SLA clocks
counted in its working minutes.

A line is open on weekdays between the contact data's opening and closing times, in the line's time zone,
except on its country's public holidays (the `holidays` package). Out of those hours the phone takes
emergencies only (weekends, holidays and nights): urgent requests page the person on call.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from helpcenter.selectors import SupportLine, support_lines

EMAIL_OR_PHONE = "email_or_phone"
PHONE_EMERGENCY_ONLY = "phone_emergency_only"
HOLIDAY_COUNTRY = {"UK": "GB"}  # the help centre writes UK, ISO 3166 (and `holidays`) says GB
MAX_DAYS_AHEAD = 30  # no line is closed longer than this; beyond it the calendar is misconfigured


@lru_cache(maxsize=64)
def _holidays(country: str, year: int) -> frozenset[date]:
    try:
        return frozenset(holidays.country_holidays(HOLIDAY_COUNTRY.get(country, country), years=year))
    except NotImplementedError:  # a country the package does not know: no public holidays
        return frozenset()


@dataclass(frozen=True)
class Calendar:
    """The working time of one support line."""

    line: SupportLine

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.line.time_zone)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in _holidays(self.line.country, day.year)

    def _window(self, day: date) -> tuple[datetime, datetime] | None:
        """The open period of a local day, as aware datetimes, or None when the line is closed all day."""
        if not self.is_working_day(day):
            return None
        return (
            datetime.combine(day, self.line.opens, tzinfo=self.zone),
            datetime.combine(day, self.line.closes, tzinfo=self.zone),
        )

    def _windows_from(self, at: datetime):
        """Open periods from the local day of ``at`` on, the first cut to start at ``at``; endless, but a
        line closed for ``MAX_DAYS_AHEAD`` days in a row is a misconfiguration and raises."""
        day = at.astimezone(self.zone).date()
        closed_days = 0
        while closed_days <= MAX_DAYS_AHEAD:
            window = self._window(day)
            closed_days = 0 if window else closed_days + 1
            if window and window[1] > at:
                yield max(window[0], at), window[1]
            day += timedelta(days=1)
        raise ValueError(f"the {self.line.country} line is closed for more than {MAX_DAYS_AHEAD} days")

    def is_open(self, at: datetime) -> bool:
        window = self._window(at.astimezone(self.zone).date())
        return bool(window) and window[0] <= at < window[1]

    def next_open(self, at: datetime) -> datetime:
        """``at`` itself while open, else the start of the next open period."""
        start, _end = next(self._windows_from(at))
        return start.astimezone(self.zone)

    def add_working_minutes(self, start: datetime, minutes: float) -> datetime:
        """The moment ``minutes`` working minutes after ``start`` (a due time)."""
        left = timedelta(minutes=minutes)
        for window_start, window_end in self._windows_from(start):
            if window_end - window_start >= left:
                return (window_start + left).astimezone(self.zone)
            left -= window_end - window_start
        raise AssertionError("unreachable: the windows never end")

    def working_minutes_between(self, start: datetime, end: datetime) -> float:
        """Working minutes from ``start`` to ``end`` (how long a request waited on the customer)."""
        total = timedelta()
        for window_start, window_end in self._windows_from(start):
            if window_start >= end:
                break
            total += min(window_end, end) - window_start
        return total.total_seconds() / 60


@dataclass(frozen=True)
class Hours:
    """What `/api/v1/support/hours/` answers for one country at one moment."""

    open: bool
    channel: str
    phone: str
    tel: str
    email: str
    next_open: datetime
    time_zone: str
    country: str


def line_for(country: str) -> SupportLine | None:
    """The support line of a country (GB and UK are one), else the first line; None without lines."""
    lines = support_lines()
    wanted = {country.upper(), HOLIDAY_COUNTRY.get(country.upper(), country.upper())}
    wanted |= {code for code, iso in HOLIDAY_COUNTRY.items() if iso in wanted}
    for line in lines:
        if line.country.upper() in wanted:
            return line
    return lines[0] if lines else None


def hours_at(country: str, at: datetime) -> Hours | None:
    line = line_for(country)
    if line is None:
        return None
    calendar = Calendar(line)
    is_open = calendar.is_open(at)
    return Hours(
        open=is_open,
        channel=EMAIL_OR_PHONE if is_open else PHONE_EMERGENCY_ONLY,
        phone=line.number,
        tel=line.tel,
        email=line.email,
        next_open=calendar.next_open(at),
        time_zone=line.time_zone,
        country=line.country,
    )
