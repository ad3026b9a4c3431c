"""Reads of the support desk, and what it reads of the apps below through their selectors."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Avg, Case, Count, F, Prefetch, Q, When
from django.db.models.functions import TruncWeek
from django.utils import timezone

from helpcenter.selectors import live_articles, suggested_articles, support_lines
from statuspage.selectors import open_incidents
from ticketing.selectors import events_of_the_day, organisations_of

from .hours import Calendar, hours_at, line_for
from .models import (
    PUBLIC_KINDS,
    Attachment,
    Deflection,
    Escalation,
    OnCallShift,
    Rating,
    SalesChannel,
    SupportRequest,
    TimelineEntry,
)
from .services.common import STAFF_ROLES, is_support_staff
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


def request_for_staff(reference: str) -> SupportRequest | None:
    """A request with its timeline, attachments, escalation and pages, for the agent's page."""
    return (
        SupportRequest.objects.select_related(
            "organisation__account_manager", "assignee", "escalation__manager"
        )
        .prefetch_related(
            Prefetch("timeline", queryset=TimelineEntry.objects.select_related("author")),
            "attachments",
            "pages__user",
            "incident_links__incident",
        )
        .filter(reference=reference)
        .first()
    )


def attachment_for(user, pk: int) -> Attachment | None:
    """The attachment if ``user`` may read it: support staff, or staff of the request's organisation (or the
    requester themselves); None otherwise, so that someone else's file is a 404, not a hint."""
    attachment = Attachment.objects.select_related("request").filter(pk=pk).first()
    if attachment is None or not getattr(user, "is_authenticated", False):
        return None
    request = attachment.request
    if is_support_staff(user) or request.requester_id == user.pk:
        return attachment
    if request.organisation_id and organisations_of(user).filter(pk=request.organisation_id).exists():
        return attachment
    return None


def customer_panel(request: SupportRequest) -> dict:
    """What the agent sees beside a request: the organisation, its manager and today's shows."""
    organisation = request.organisation
    if organisation is None:
        return {"organisation": None, "shows": []}
    return {
        "organisation": organisation,
        "manager": organisation.account_manager,
        "shows": list(events_of_the_day(organisation)),
    }


@dataclass(frozen=True)
class NextSteps:
    """What the requester is told once the request is sent (C3)."""

    open: bool
    urgent: bool
    first_response_due: datetime | None
    next_open: datetime | None
    phone: str
    tel: str
    on_call: bool


def next_steps(request: SupportRequest, now=None) -> NextSteps:
    now = now or timezone.now()
    line = line_for(request.country)
    calendar = Calendar(line) if line else None
    is_open = calendar.is_open(now) if calendar else True
    return NextSteps(
        open=is_open,
        urgent=request.urgent,
        first_response_due=request.first_response_due,
        next_open=None if is_open or calendar is None else calendar.next_open(now),
        phone=line.number if line else "",
        tel=line.tel if line else "",
        on_call=OnCallShift.objects.filter(starts_at__lte=now, ends_at__gt=now).exists(),
    )


def deflection(question: str, language: str, channels) -> dict:
    """What the form shows while the request is typed (C3): up to three articles in the reader's language
    and the open incidents on components behind the chosen channels, with their workarounds."""
    slugs = {slug for channel in channels for slug in CHANNEL_COMPONENTS.get(channel, ())}
    incidents = [
        {
            "code": incident.code,
            "name": incident.name_in(language),
            "status": incident.get_status_display(),
            "playbooks": [(p.title_in(language), p.body_in(language)) for p in incident.playbooks.all()],
        }
        for incident in (open_incidents(component_slugs=slugs) if slugs else [])
    ]
    articles = suggested_articles(question, language) if len(question.strip()) >= 8 else []
    return {"articles": articles, "incidents": incidents}


QUEUE_FILTERS = ("status", "channel", "organisation", "assignee", "escalated", "breached")


DUE = Case(When(first_responded_at__isnull=True, then=F("first_response_due")), default=F("resolution_due"))


def queued(
    *,
    status: str = "active",
    channel: str = "",
    organisation: str = "",
    assignee: str = "",
    escalated: str = "",
    breached: str = "",
    user=None,
):
    """The agents' queue: urgent first, then by the SLA due time (the first response until it is given, then
    the resolution), then the oldest. ``status`` "active" means new, open or waiting."""
    found = SupportRequest.objects.all()
    if status == "active":
        found = found.filter(status__in=SupportRequest.OPEN_STATUSES)
    elif status in SupportRequest.Status.values:
        found = found.filter(status=status)
    if channel in SalesChannel.values:  # JSON containment where the database has it, else the stored text
        found = (
            found.filter(channels__contains=[channel])
            if connection.vendor == "postgresql"
            else found.filter(channels__icontains=f'"{channel}"')
        )
    if organisation:
        found = found.filter(
            Q(organisation__account_id__iexact=organisation.strip())
            | Q(organisation__name__icontains=organisation)
        )
    if assignee == "me" and user is not None:
        found = found.filter(assignee=user)
    elif assignee == "nobody":
        found = found.filter(assignee__isnull=True)
    if escalated == "yes":
        found = found.filter(escalation__isnull=False)
    if breached == "yes":
        found = found.filter(breached_at__isnull=False)
    return found.annotate(due=DUE).order_by("-urgent", F("due").asc(nulls_last=True), "created_at", "pk")


def queue(**filters):
    """``queued`` as ids: the rows stay narrow until the page is cut (``queue_rows``), so the sort never
    drags the joined columns along."""
    return queued(**filters).values_list("pk", flat=True)


def queue_rows(ids) -> list[SupportRequest]:
    """The requests of one page of ``queue``, in its order, with what the queue shows of them."""
    rows = (
        SupportRequest.objects.filter(pk__in=list(ids))
        .select_related("organisation", "assignee", "escalation")
        .annotate(due=DUE)
        .in_bulk()
    )
    return [rows[pk] for pk in ids if pk in rows]


def support_staff():
    """Who can be assigned a request."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, role_assignments__role__in=STAFF_ROLES)
        .distinct()
        .order_by("first_name", "username")
    )


def reply_articles(request: SupportRequest) -> list:
    """Help articles for the agent to insert in a reply, in the requester's language."""
    return suggested_articles(f"{request.subject} {request.body}", request.language, limit=5)


def article_link(language: str, key: str) -> tuple[str, str] | None:
    """The title and absolute URL of the live help article ``key`` in ``language``; None if there is none."""
    page = live_articles(language).filter(key=key).first() if key else None
    if page is None:
        return None
    url = page.get_url()
    return page.title, (settings.SITE_URL + url if url.startswith("/") else url)


def unseen_escalations(user) -> list:
    """Escalations to ``user`` not yet acknowledged in the back-office pop-up, newest first."""
    return list(
        Escalation.objects.filter(manager=user, seen_at__isnull=True)
        .select_related("request__organisation")
        .order_by("-created_at")[:5]
    )


def requests_of(user):
    """The requests a signed-in requester may follow: their own and their organisations'."""
    return (
        SupportRequest.objects.filter(Q(requester=user) | Q(organisation__in=organisations_of(user)))
        .select_related("organisation")
        .distinct()
        .order_by("-created_at", "-pk")
    )


def request_for_requester(user, reference: str) -> SupportRequest | None:
    """One of ``requests_of(user)`` with what the requester may see of its timeline (no internal notes)."""
    return (
        requests_of(user)
        .filter(reference=reference)
        .prefetch_related(
            Prefetch("timeline", queryset=TimelineEntry.objects.filter(kind__in=PUBLIC_KINDS)),
            "attachments",
        )
        .select_related("escalation")
        .first()
    )


def shifts_ahead():
    """The rota from the shift running now on."""
    return OnCallShift.objects.filter(ends_at__gt=timezone.now()).select_related("user", "backup")


def linkable_incidents() -> list:
    """Open incidents an agent can link a request to."""
    return list(open_incidents())


def reports(weeks: int = 8) -> dict:
    """What operators read to tune the desk: help articles that answered instead of a request (deflections)
    per week, satisfaction per agent and week, and the urgency overrides that say where the rules erred."""
    since = timezone.now() - timedelta(weeks=weeks)
    week = TruncWeek("created_at")
    return {
        "deflections": list(
            Deflection.objects.filter(created_at__gte=since)
            .annotate(week=week)
            .values("week")
            .annotate(count=Count("pk"))
            .order_by("-week")
        ),
        "ratings": list(
            Rating.objects.filter(created_at__gte=since)
            .annotate(week=week)
            .values("week", "agent__username", "agent__first_name", "agent__last_name")
            .annotate(count=Count("pk"), average=Avg("score"))
            .order_by("-week", "agent__username")
        ),
        "overrides": list(
            SupportRequest.objects.exclude(urgent=F("triaged_urgent"))
            .exclude(override_reason="")
            .order_by("-updated_at")
            .only(
                "reference", "subject", "urgent", "triaged_urgent", "override_reason", "reasons", "language"
            )[:50]
        ),
    }


def support_hours(country: str, at: datetime | None = None):
    """``/api/v1/support/hours/``'s answer for ``country`` (``hours.Hours``), now unless ``at``; None without
    support lines."""
    return hours_at(country, at or timezone.now())


def support_countries() -> list[str]:
    """The countries of the support lines, in the operators' order."""
    return [line.country for line in support_lines()]


def requester_organisations(user) -> list:
    """The organisations a signed-in user can open a request for (name order), [] for anyone else."""
    return list(organisations_of(user).order_by("name")) if getattr(user, "is_authenticated", False) else []


def open_requests_of(user) -> list[SupportRequest]:
    """The signed-in requester's requests still open, newest first (the chatbot escalates one)."""
    return list(
        requests_of(user).filter(status__in=SupportRequest.OPEN_STATUSES).select_related("escalation")[:10]
    )
