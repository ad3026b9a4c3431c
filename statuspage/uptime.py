"""How much of a span a component was up, and the colour its uptime bar gets: both from one figure.

A major outage counts fully as down time, a partial outage 30 % (as Statuspage counts them); degraded
performance and maintenance are not down time. The percentage is rounded as the page shows it (two decimals)
and the colour band is read from that rounded figure, so a day shown "100,00 %" is never drawn as an outage
and a day drawn as an outage never shows "100,00 %".
"""

from django.utils.translation import gettext_noop

from .models import ComponentStatus

DOWN_WEIGHT = {ComponentStatus.MAJOR: 1.0, ComponentStatus.PARTIAL: 0.3}
DECIMALS = 2
# The lowest shown percentage of each band, best first; below the last one: "major".
BANDS = (("up", 100.0), ("minor", 99.0), ("partial", 95.0))
BAND_LABELS = {
    "up": gettext_noop("No downtime"),
    "maintenance": gettext_noop("Under maintenance"),
    "minor": gettext_noop("Short outage"),
    "partial": gettext_noop("Partial outage"),
    "major": gettext_noop("Major outage"),
    "none": gettext_noop("No data"),
}


def down_seconds(durations: dict[str, float]) -> float:
    """The down time within ``durations`` ({status: seconds spent in it})."""
    return sum(DOWN_WEIGHT.get(status, 0.0) * seconds for status, seconds in durations.items())


def band(percent: float | None, *, maintenance: bool = False) -> str:
    """The colour band of a shown percentage: ``up`` at 100 (``maintenance`` when there was some), then
    ``minor``, ``partial`` and ``major`` as it drops; ``none`` without data."""
    if percent is None:
        return "none"
    for name, lowest in BANDS:
        if percent >= lowest:
            return "maintenance" if name == "up" and maintenance else name
    return "major"


def figure(durations: dict[str, float]) -> tuple[float | None, str]:
    """(uptime percentage as shown, colour band) of a span, from {status: seconds spent in it}."""
    span = sum(seconds for seconds in durations.values() if seconds > 0)
    if span <= 0:
        return None, "none"
    percent = round(100 * (1 - down_seconds(durations) / span), DECIMALS)
    return percent, band(percent, maintenance=durations.get(ComponentStatus.MAINTENANCE, 0) > 0)
