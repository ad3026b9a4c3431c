"""The emergency sheet (P7, with P4 and P5): one A4 page to keep at the counter of an organisation, or of
one of its venues, with what staff need when something breaks: the status page and its alerts, the support
line and its hours, the App-Scanner, each event's online-purchase code, the box office's offline steps and
whom to call. Its QR codes are data URIs, so the page prints without fetching anything."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from hub import support_contact

from . import qr
from .models import EmergencyContact, Event, Organisation

SAME_COUNTRY = {"GB": "UK", "UK": "GB"}  # organisations say GB (ISO 3166), the support lines UK


@dataclass(frozen=True)
class Code:
    url: str
    image: str  # data:image/png;base64,…


def code(url: str) -> Code:
    return Code(url, qr.data_uri(url, box_size=6))


@dataclass(frozen=True)
class Sheet:
    organisation: Organisation
    venue: str  # "" for the whole organisation
    venues: list[str]
    status_page: Code
    subscribe: Code
    scanner: Code
    pos_url: str
    support_lines: list  # hub.support_contact lines: the country's own, else every line
    events: list[tuple[Event, Code]]
    contacts: list[EmergencyContact]


def venues(organisation: Organisation) -> list[str]:
    """The venues of the organisation's events still to come (cancelled ones aside), A to Z."""
    names = (
        Event.objects.filter(organisation=organisation, ends_at__gt=timezone.now())
        .exclude(status=Event.Status.CANCELLED)
        .values_list("venue", flat=True)
        .distinct()
    )
    return sorted(set(names), key=str.casefold)


def on_sale_events(organisation: Organisation, venue: str = ""):
    if not organisation.is_active:
        return Event.objects.none()
    now = timezone.now()
    events = Event.objects.filter(
        organisation=organisation, status=Event.Status.PUBLISHED, sales_start__lte=now, sales_end__gt=now
    ).select_related("organisation")
    return events.filter(venue=venue) if venue else events


def contacts(organisation: Organisation, venue: str = ""):
    """The organisation's contacts; for a venue, those of every venue and those of that one."""
    found = EmergencyContact.objects.filter(organisation=organisation)
    return found.filter(venue__in=["", venue]) if venue else found


def support_lines(country: str) -> list:
    lines = support_contact.support_lines()
    wanted = {country.upper(), SAME_COUNTRY.get(country.upper(), "")}
    return [line for line in lines if line.country.upper() in wanted] or lines


def sheet(organisation: Organisation, venue: str = "") -> Sheet:
    def absolute(name: str) -> Code:
        return code(settings.SITE_URL + reverse(name))

    return Sheet(
        organisation=organisation,
        venue=venue,
        venues=venues(organisation),
        status_page=absolute("statuspage:page"),
        subscribe=absolute("statuspage:subscribe"),
        scanner=absolute("ticketing:scanner"),
        pos_url=settings.SITE_URL + reverse("pos"),
        support_lines=support_lines(organisation.country),
        events=[(event, code(qr.event_url(event))) for event in on_sale_events(organisation, venue)],
        contacts=list(contacts(organisation, venue)),
    )
