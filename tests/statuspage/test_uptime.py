"""The uptime bars: one figure decides both the percentage a day shows and the colour it is drawn in."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from statuspage import snapshot, uptime
from statuspage.models import ComponentStatusChange

DAY = 24 * 3600.0


@pytest.mark.parametrize(
    ("durations", "expected"),
    [
        ({}, (None, "none")),
        ({"operational": 0.0}, (None, "none")),
        ({"operational": DAY}, (100.0, "up")),
        ({"degraded_performance": DAY}, (100.0, "up")),  # slow is not down: green at 100 %, not yellow
        ({"operational": DAY - 3600, "under_maintenance": 3600}, (100.0, "maintenance")),
        # 10 s of partial outage is 3 s down: 99.9965 % shows 100,00 %, so it is drawn as a day without
        ({"operational": DAY - 10, "partial_outage": 10}, (100.0, "up")),
        # 30 s of partial outage: 9 s down, 99.99 %: the smallest figure drawn as an outage
        ({"operational": DAY - 30, "partial_outage": 30}, (99.99, "minor")),
        ({"operational": DAY - 864, "major_outage": 864}, (99.0, "minor")),  # exactly 99,00 %
        ({"operational": DAY - 900, "major_outage": 900}, (98.96, "partial")),
        ({"operational": DAY * 0.95, "major_outage": DAY * 0.05}, (95.0, "partial")),
        ({"operational": DAY * 0.9, "major_outage": DAY * 0.1}, (90.0, "major")),
        ({"major_outage": DAY}, (0.0, "major")),
        ({"partial_outage": DAY}, (70.0, "major")),
    ],
)
def test_one_figure_gives_the_percentage_and_the_colour(durations, expected):
    assert uptime.figure(durations) == expected


def test_a_band_never_contradicts_the_shown_percentage():
    for down in range(0, 2000, 7):  # seconds of major outage in a day
        percent, band = uptime.figure({"operational": DAY - down, "major_outage": down})
        assert (band == "up") == (f"{percent:.2f}" == "100.00"), (down, percent, band)


@pytest.mark.django_db
def test_a_slow_day_is_drawn_green_at_100_percent_and_an_outage_day_says_how_much(client, components):
    now = timezone.now()
    components.pos.created_at = now - timedelta(days=200)
    components.pos.save()
    noon = timezone.localtime(now).replace(hour=12, minute=0, second=0, microsecond=0)
    for when, status in [
        (noon - timedelta(days=3), "degraded_performance"),
        (noon - timedelta(days=3, hours=-4), "operational"),
        (noon - timedelta(days=2), "partial_outage"),
        (noon - timedelta(days=2, hours=-2), "operational"),
    ]:
        ComponentStatusChange.objects.create(component=components.pos, status=status, started_at=when)
    pos = next(c for c in snapshot.build(now)["components"] if c["slug"] == "pos")
    slow, partial = pos["days"][-4], pos["days"][-3]
    assert (slow["uptime"], slow["band"]) == (100.0, "up")
    assert (partial["uptime"], partial["band"]) == (97.5, "partial")

    html = snapshot.render_page(snapshot.build(now), "fr").decode()
    days = re.findall(r'<span class="day ([\w-]+)" title="[^"]*?· ([^"]*?)"', html)
    for band, title in days:
        if "100,00" in title:
            assert band in ("up", "maintenance"), title
