from datetime import timedelta

from django.db.models import Count, Q, Sum
from django.utils import timezone

from .commission import cents
from .models import Event, Membership, Order, Organisation, Presence, Settlement, Ticket


def public_events(*, organisation: Organisation | None = None, upcoming: bool = True):
    events = Event.objects.filter(
        status=Event.Status.PUBLISHED, organisation__status=Organisation.Status.ACTIVE
    )
    if organisation is not None:
        events = events.filter(organisation=organisation)
    if upcoming:
        events = events.filter(ends_at__gt=timezone.now())
    return events.select_related("organisation").prefetch_related("categories").order_by("starts_at")


def event_sales(event: Event) -> dict:
    """Sales figures of one event, in total and per category."""
    valid = Q(tickets__status=Ticket.Status.VALID)
    now = timezone.now()
    held = Q(tickets__status=Ticket.Status.RESERVED, tickets__order__expires_at__gt=now)
    categories = event.categories.annotate(
        sold=Count("tickets", filter=valid),
        held=Count("tickets", filter=held),
        revenue=Sum("tickets__price", filter=valid),
        commission_excl=Sum("tickets__commission_excl_vat", filter=valid),
        commission_vat=Sum("tickets__commission_vat", filter=valid),
    )
    rows = []
    for category in categories:
        revenue = cents(category.revenue or 0)  # SQLite sums decimals as floats: back to cents
        commission = cents(category.commission_excl or 0) + cents(category.commission_vat or 0)
        rows.append(
            {
                "category": category,
                "sold": category.sold,
                "held": category.held,
                "left": max(category.quota - category.sold - category.held, 0),
                "revenue": revenue,
                "commission": commission,
                "net": revenue - commission,
            }
        )
    totals = {key: sum(row[key] for row in rows) for key in ("sold", "held", "revenue", "commission", "net")}
    totals["capacity_left"] = max(event.capacity - totals["sold"] - totals["held"], 0)
    return {"rows": rows, "totals": totals}


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


def members(organisation: Organisation):
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__last_name")
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
    tickets = Ticket.objects.filter(event=event, status=Ticket.Status.VALID).select_related("category")
    if presence:
        tickets = tickets.filter(presence=presence)
    if category:
        tickets = tickets.filter(category_id=category)
    if q:
        tickets = tickets.filter(Q(last_name__icontains=q) | Q(first_name__icontains=q) | Q(number__iexact=q))
    return tickets.order_by("last_name", "first_name", "number")
