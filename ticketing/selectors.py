"""Reads of the ticketing engine: for its own views and services, and its public contract for the apps above
it (the support desk). Those find an organisation's people with ``members`` and ``organisations_of``, its
shows of the day with ``events_of_the_day``, an order a buyer quotes with ``order_by_reference``, and sales
with ``event_sales``. Organisations may be given as instances or ids; results are model instances (querysets
prepared once) or the small dataclasses below."""

from collections import Counter
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from .commission import cents
from .models import Category, Event, Membership, Order, Organisation, Presence, Settlement, Ticket
from .permissions import DOOR_ROLES


def public_events(*, organisation: Organisation | None = None, upcoming: bool = True):
    events = Event.objects.filter(
        status=Event.Status.PUBLISHED, organisation__status=Organisation.Status.ACTIVE
    )
    if organisation is not None:
        events = events.filter(organisation=organisation)
    if upcoming:
        events = events.filter(ends_at__gt=timezone.now())
    return events.select_related("organisation").prefetch_related("categories").order_by("starts_at")


def events_on_sale(organisation: Organisation | None = None):
    """Published events of active seller spaces (of ``organisation`` if given) whose sales are open now,
    soonest first."""
    now = timezone.now()
    return public_events(organisation=organisation).filter(sales_start__lte=now, sales_end__gt=now)


def organisations_of(user, *roles: str):
    """The organisations the user belongs to (with one of ``roles`` if given)."""
    memberships = Membership.objects.filter(user=user)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return Organisation.objects.filter(pk__in=memberships.values("organisation"))


def account_ids(user) -> str | None:
    """The account IDs of the user's seller spaces, for the back-office header (read once per request)."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_guichet_account_ids", None)
    if cached is None:
        cached = user._guichet_account_ids = " · ".join(
            Organisation.objects.filter(memberships__user=user)
            .order_by("name")
            .values_list("account_id", flat=True)
        )
    return cached or None


def door_organisations(user):
    """Organisations whose tickets this user may scan."""
    return organisations_of(user, *DOOR_ROLES)


def taking_a_seat(now) -> Q:
    """Tickets that take a seat: sold, or held by an order still waiting for its payment at ``now``."""
    return Q(status=Ticket.Status.VALID) | Q(status=Ticket.Status.RESERVED, order__expires_at__gt=now)


def seats_taken(event: Event, now=None) -> Counter:
    """Seats taken per category id (see ``taking_a_seat``). Sold and held tickets are counted apart: the
    sold ones without joining their orders, twice as fast as one count over both once thousands are sold."""
    tickets = Ticket.objects.filter(event=event)
    sold = tickets.filter(status=Ticket.Status.VALID)
    held = tickets.filter(status=Ticket.Status.RESERVED, order__expires_at__gt=now or timezone.now())
    return sum(
        (
            Counter(dict(part.values_list("category").annotate(n=Count("id")).order_by()))
            for part in (sold, held)
        ),
        Counter(),
    )


def availability(event: Event, taken: Counter | None = None) -> dict[int, int]:
    """Seats still on sale per category id: within its quota and within the event's capacity."""
    taken = seats_taken(event) if taken is None else taken
    room = max(event.capacity - sum(taken.values()), 0)
    return {c.pk: max(min(c.quota - taken[c.pk], room), 0) for c in event.categories.all()}


def sales_figures(prefix: str = "") -> dict:
    """The aggregates every sales figure is made of, over tickets (``prefix`` reaches them from another
    model, e.g. ``"tickets__"`` from events): a valid ticket is sold, a refunded one was sold and given back.
    The commission of a refunded ticket is not kept."""
    sold = Q(**{f"{prefix}status": Ticket.Status.VALID})
    refunded = Q(**{f"{prefix}status": Ticket.Status.REFUNDED})
    return {
        "sold": Count(f"{prefix}id", filter=sold),
        "revenue": Sum(f"{prefix}price", filter=sold),
        "refunded": Sum(f"{prefix}price", filter=refunded),
        "commission_excl_vat": Sum(f"{prefix}commission_excl_vat", filter=sold),
        "commission_vat": Sum(f"{prefix}commission_vat", filter=sold),
    }


@dataclass(frozen=True)
class Sales:
    """Sales figures (amounts incl. VAT, in whole cents) of an event, or of one of its categories."""

    category: Category | None = None  # None for an event's totals
    sold: int = 0
    revenue: Decimal = Decimal("0.00")  # of the tickets sold and not refunded
    refunded: Decimal = Decimal("0.00")
    commission_excl_vat: Decimal = Decimal("0.00")
    commission_vat: Decimal = Decimal("0.00")
    held: int = 0  # seats held by orders waiting for their payment
    left: int = 0  # seats still on sale

    @classmethod
    def of(cls, figures: dict, **more) -> "Sales":
        """From the aggregates of ``sales_figures`` (SQLite sums decimals as floats: back to cents)."""
        amounts = ("revenue", "refunded", "commission_excl_vat", "commission_vat")
        return cls(sold=figures["sold"], **{a: cents(figures[a] or 0) for a in amounts}, **more)

    def __add__(self, other: "Sales") -> "Sales":
        numbers = [f.name for f in fields(Sales) if f.name != "category"]
        return Sales(**{name: getattr(self, name) + getattr(other, name) for name in numbers})

    @property
    def gross(self) -> Decimal:
        """Everything buyers paid, refunds included."""
        return self.revenue + self.refunded

    @property
    def commission(self) -> Decimal:
        return self.commission_excl_vat + self.commission_vat

    @property
    def net(self) -> Decimal:
        """What the organiser is owed."""
        return self.revenue - self.commission


@dataclass(frozen=True)
class EventSales:
    rows: list[Sales]  # one per category, in their order
    totals: Sales


def event_sales(event: Event) -> EventSales:
    """Sales figures of one event, per category and in total."""
    figures = Ticket.objects.filter(event=event).values("category").annotate(**sales_figures()).order_by()
    per_category = {row.pop("category"): row for row in figures}
    taken = seats_taken(event)
    left = availability(event, taken)
    nothing = dict.fromkeys(sales_figures(), 0)
    rows = []
    for category in event.categories.all():
        sold = per_category.get(category.pk, nothing)
        held = taken[category.pk] - sold["sold"]
        rows.append(Sales.of(sold, category=category, held=held, left=left[category.pk]))
    totals = sum(rows, Sales())
    room = max(event.capacity - sum(taken.values()), 0)  # the categories' quotas may add up to more
    return EventSales(rows, replace(totals, left=min(totals.left, room)))


def organisation_events(organisation: Organisation):
    """An organisation's events, the latest first, each with the number of tickets ``sold``."""
    return (
        Event.objects.filter(organisation=organisation)
        .annotate(sold=sales_figures("tickets__")["sold"])
        .order_by("-starts_at")
    )


def event_orders(event: Event, *, q: str = "", status: str = ""):
    found = Order.objects.filter(event=event).annotate(ticket_count=Count("tickets"))
    if status:
        found = found.filter(status=status)
    if q:
        q = q.strip()
        found = found.filter(
            Q(reference__iexact=q)
            | Q(buyer_email__icontains=q)
            | Q(tickets__last_name__icontains=q)
            | Q(tickets__first_name__icontains=q)
            | Q(tickets__number__iexact=q)
        ).distinct()
    return found.order_by("-created_at")


def customer_orders(email: str):
    return (
        Order.objects.filter(buyer_email__iexact=email)
        .exclude(status=Order.Status.PENDING)
        .select_related("event", "event__organisation")
        .prefetch_related("tickets__category")
        .order_by("-created_at")
    )


def members(organisation: Organisation | int, *roles: str):
    """An organisation's memberships (with one of ``roles`` if given), each with its user, by name."""
    found = Membership.objects.filter(organisation=organisation)
    if roles:
        found = found.filter(role__in=roles)
    return found.select_related("user").order_by("user__last_name", "user__first_name")


def events_of_the_day(organisation: Organisation | int, day: date | None = None):
    """An organisation's published or cancelled events that run during ``day`` (today by default), in the
    current time zone, the earliest first."""
    day = day or timezone.localdate()
    start = timezone.make_aware(datetime.combine(day, time.min))
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))  # 23 or 25 hours later
    return (
        Event.objects.filter(organisation=organisation, starts_at__lt=end, ends_at__gt=start)
        .exclude(status=Event.Status.DRAFT)
        .select_related("organisation")
        .order_by("starts_at")
    )


def order_by_reference(organisation: Organisation | int, reference: str) -> Order | None:
    """One of the organisation's orders by its reference (as a buyer types it: any case, spaces around),
    with its event and tickets; None when the organisation has no such order."""
    return (
        Order.objects.filter(organisation=organisation, reference=reference.strip().upper())
        .select_related("event")
        .prefetch_related("tickets__category")
        .first()
    )


def payouts(*, today):
    """Statements to pay: overdue, due within 7 days, later; then the last ones paid."""
    open_ = Settlement.objects.exclude(status=Settlement.Status.PAID).select_related("event", "organisation")
    return {
        "overdue": open_.filter(due_date__lt=today),
        "soon": open_.filter(due_date__gte=today, due_date__lte=today + timedelta(days=7)),
        "later": open_.filter(due_date__gt=today + timedelta(days=7)),
        "paid": Settlement.objects.filter(status=Settlement.Status.PAID)
        .select_related("event", "organisation")
        .order_by("-paid_at")[:20],
    }


def presence_counts(event: Event) -> dict[str, int]:
    """Scan-On-Air's figures: sold, present, not present yet, temporarily out."""
    counts = dict(
        Ticket.objects.filter(event=event, status=Ticket.Status.VALID)
        .values_list("presence")
        .annotate(n=Count("id"))
        .order_by()
    )
    present, out = counts.get(Presence.INSIDE, 0), counts.get(Presence.OUT, 0)
    return {
        "sold": sum(counts.values()),
        "present": present,
        "out": out,
        "absent": counts.get(Presence.ABSENT, 0),
    }


def presence_list(event: Event, *, q: str = "", presence: str = "", category: str = ""):
    tickets = Ticket.objects.filter(event=event, status=Ticket.Status.VALID).select_related(
        "category", "event"
    )
    if presence:
        tickets = tickets.filter(presence=presence)
    if category:
        tickets = tickets.filter(category_id=category)
    if q:
        tickets = tickets.filter(Q(last_name__icontains=q) | Q(first_name__icontains=q) | Q(number__iexact=q))
    return tickets.order_by("last_name", "first_name", "number")


def allotment_left(station) -> list[dict]:
    """What a box-office station still holds to sell offline: per event and category, the unsold tickets."""
    rows = (
        Ticket.objects.filter(order__allotment__station=station, status=Ticket.Status.RESERVED)
        .values("event_id", "category_id")
        .annotate(left=Count("id"))
        .order_by("event_id", "category_id")
    )
    return [{"event": row["event_id"], "category": row["category_id"], "left": row["left"]} for row in rows]


def station_events(station) -> list[Event]:
    """What a box-office station sells: its organisation's events on sale that have not ended, the
    earliest first (today's at the top), with their categories."""
    return list(
        Event.objects.filter(
            organisation=station.organisation_id, status=Event.Status.PUBLISHED, ends_at__gt=timezone.now()
        )
        .prefetch_related("categories")
        .order_by("starts_at")
    )


def allotment_tickets(station):
    """The unsold tickets a station holds to sell offline, secrets included (only for the station itself)."""
    return (
        Ticket.objects.filter(order__allotment__station=station, status=Ticket.Status.RESERVED)
        .select_related("category")
        .order_by("event_id", "category_id", "number")
    )
