"""Business hours of the support lines (C1, C3) and the public `/api/v1/support/hours/`."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from escalation.hours import Calendar, hours_at, line_for

ZURICH = ZoneInfo("Europe/Zurich")
LONDON = ZoneInfo("Europe/London")
pytestmark = pytest.mark.django_db


def at(*args, zone=ZURICH):
    return datetime(*args, tzinfo=zone)


def test_a_saturday_night_in_zurich_is_phone_for_emergencies_until_monday_morning(client, support_lines):
    answer = client.get("/api/v1/support/hours/", {"country": "CH", "at": "2026-12-05T22:00:00+01:00"}).json()
    assert answer == {
        "open": False,
        "channel": "phone_emergency_only",
        "phone": "+41 21 588 17 12",
        "email": "support@guichet.example",
        "next_open": "2026-12-07T09:00:00+01:00",
        "time_zone": "Europe/Zurich",
        "country": "CH",
    }


def test_a_weekday_morning_is_open_by_email_or_phone_and_next_open_is_now(client, support_lines):
    answer = client.get("/api/v1/support/hours/", {"country": "ch", "at": "2026-12-07T10:15:00+01:00"}).json()
    assert (answer["open"], answer["channel"]) == (True, "email_or_phone")
    assert answer["next_open"] == "2026-12-07T10:15:00+01:00"


def test_at_defaults_to_now(client, support_lines):
    with time_machine.travel(at(2026, 12, 8, 17, 59), tick=False):
        assert client.get("/api/v1/support/hours/", {"country": "CH"}).json()["open"] is True
    with time_machine.travel(at(2026, 12, 8, 18, 0), tick=False):
        answer = client.get("/api/v1/support/hours/", {"country": "CH"}).json()
    assert answer["open"] is False
    assert answer["next_open"] == "2026-12-09T09:00:00+01:00"


def test_public_holidays_of_the_line_s_country_are_closed(support_lines):
    christmas = at(2026, 12, 25, 10, 0)  # a Friday
    assert hours_at("CH", christmas).open is False
    assert hours_at("CH", christmas).next_open == at(2026, 12, 28, 9, 0)
    boxing_day_uk = at(
        2026, 12, 28, 10, 0, zone=LONDON
    )  # Boxing Day falls on a Saturday: Monday off in the UK
    assert hours_at("GB", boxing_day_uk).open is False
    assert hours_at("CH", boxing_day_uk).open is True


def test_each_line_keeps_its_own_time_zone(support_lines):
    moment = at(2026, 12, 7, 8, 30, zone=LONDON)  # 09:30 in Zurich, 08:30 in London
    assert hours_at("CH", moment).open is True
    assert hours_at("UK", moment).open is False
    assert hours_at("GB", moment).time_zone == "Europe/London"


def test_a_country_without_its_own_line_gets_the_first_line(support_lines):
    assert line_for("DE").country == "BE"


def test_bad_questions_get_a_400_and_no_lines_a_404(client, db):
    assert client.get("/api/v1/support/hours/", {"country": "CH"}).status_code == 404
    for params in (
        {},
        {"country": "C1"},
        {"country": "CH", "at": "tomorrow"},
        {"country": "CH", "at": "2026-12-05T22:00:00"},
    ):
        response = client.get("/api/v1/support/hours/", params)
        assert response.status_code == 400, params
        assert "detail" in response.json()


def test_working_minutes_skip_nights_weekends_and_holidays(support_lines):
    calendar = Calendar(line_for("CH"))
    friday_late = at(2026, 12, 4, 17, 30)
    assert calendar.add_working_minutes(friday_late, 480) == at(2026, 12, 7, 16, 30)
    assert calendar.add_working_minutes(at(2026, 12, 5, 22, 0), 30) == at(2026, 12, 7, 9, 30)
    before_christmas = at(2026, 12, 24, 17, 0)
    assert calendar.add_working_minutes(before_christmas, 120) == at(2026, 12, 28, 10, 0)
    assert calendar.working_minutes_between(friday_late, at(2026, 12, 7, 10, 0)) == 90
    assert calendar.working_minutes_between(at(2026, 12, 5, 8, 0), at(2026, 12, 6, 20, 0)) == 0
