"""Reads of the support desk, and what it reads of the apps below through their selectors."""

from datetime import timedelta

from django.utils import timezone

from statuspage.selectors import open_incidents
from ticketing.selectors import events_of_the_day

from .models import SalesChannel
from .triage import SHOW_HOURS, TriageContext

# The status page's components behind each channel of the request form. Slugs are the operators' (the demo's
# set-up names them so); a component that does not exist simply matches nothing.
CHANNEL_COMPONENTS = {
    SalesChannel.ONLINE_SHOP: ("online-booking", "payments", "ticket-emails"),
    SalesChannel.BOX_OFFICE: ("pos", "payments", "back-office"),
    SalesChannel.KIOSK: ("kiosk", "payments", "online-booking"),
    SalesChannel.DOOR_SCANNING: ("door-scanning", "api"),
    SalesChannel.API_WIDGET: ("api", "online-booking"),
    SalesChannel.PAYOUTS: ("back-office",),
    SalesChannel.OTHER: ("back-office",),
}


def triage_context(organisation, channels, now=None) -> TriageContext:
    """What the urgency rules weigh besides the text (``escalation.triage``): the organisation's show that
    starts within ``SHOW_HOURS`` hours or is running (the earliest, not cancelled), and the open incidents on
    components of ``channels``, each with the channels it touches. Three queries at most."""
    now = now or timezone.now()
    show = ""
    if organisation is not None:
        today = timezone.localdate(now)
        soon = now + timedelta(hours=SHOW_HOURS)
        for day in sorted({today, timezone.localdate(soon)}):
            events = events_of_the_day(organisation, day)
            event = next(
                (e for e in events if e.status != "cancelled" and e.starts_at <= soon and e.ends_at > now),
                None,
            )
            if event is not None:
                show = event.title
                break
    by_slug: dict[str, set[str]] = {}
    for channel in channels:
        for slug in CHANNEL_COMPONENTS.get(channel, ()):
            by_slug.setdefault(slug, set()).add(str(channel))
    incidents = []
    if by_slug:
        for incident in open_incidents(component_slugs=by_slug):
            touched = set()
            for link in incident.affected.all():
                touched |= by_slug.get(link.component.slug, set())
            incidents.append((incident.code, frozenset(touched)))
    return TriageContext(show=show, incidents=tuple(incidents))
