"""Reads of the box office for its back-office pages: the stations at a glance, a station's sales and cash
sessions, the conflicts to settle, and the Z report of a station's day.

The Z report's day is a calendar day in the site's time zone (``settings.TIME_ZONE``). Its sales are the
sales sold that day that issued tickets (synced, or accepted over capacity), those given back since
included: they count again among the refunds of the day they were given back, so that sales minus refunds
is what the day kept. A conflict issued nothing: it is counted apart until a manager settles it.

A cash session's drawer should hold its float, plus the cash of the sales sold while it was open, minus
the cash given back while it was open (a sale synced late counts in the session it was sold in).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, F, IntegerField, Max, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .commission import cents
from .models import CashSession, CounterSale, Order, Organisation, Station, Ticket

ZERO = Decimal("0.00")
Status, Method = CounterSale.Status, CounterSale.Method


def _count(queryset, key: str):
    """``queryset`` counted per ``key`` as a subquery on the outer station (0 when it has none)."""
    rows = queryset.values(key).annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def stations(organisation: Organisation):
    """An organisation's counter stations (kiosks are under *Marketing tools*), live ones first, each with
    ``open_sessions`` (its open cash session in a list, or an empty one), ``allotment_left`` (unsold seats it
    holds) and ``conflicts`` (unsettled)."""
    conflicts = CounterSale.objects.filter(station=OuterRef("pk"), status=Status.CONFLICT)
    held = Ticket.objects.filter(order__allotment__station=OuterRef("pk"), status=Ticket.Status.RESERVED)
    return (
        Station.objects.filter(organisation=organisation, kind=Station.Kind.COUNTER)
        .annotate(
            conflicts=_count(conflicts, "station"), allotment_left=_count(held, "order__allotment__station")
        )
        .prefetch_related(
            Prefetch(
                "cash_sessions",
                queryset=CashSession.objects.filter(closed_at__isnull=True).select_related("opened_by"),
                to_attr="open_sessions",
            )
        )
        .order_by(F("revoked_at").asc(nulls_first=True), "name")
    )


def kiosks(organisation: Organisation):
    """An organisation's kiosks, live ones first, each with ``orders_paid`` (its orders paid, by card or at
    the counter) and ``last_order_at``."""
    paid = Q(kiosk_orders__status=Order.Status.PAID)
    return (
        Station.objects.filter(organisation=organisation, kind=Station.Kind.KIOSK)
        .annotate(
            orders_paid=Count("kiosk_orders", filter=paid), last_order_at=Max("kiosk_orders__created_at")
        )
        .order_by(F("revoked_at").asc(nulls_first=True), "name")
    )


def station_sales(station: Station):
    """A station's counter sales, the latest first, each with its event, its order and ``ticket_count``."""
    return (
        CounterSale.objects.filter(station=station)
        .select_related("event", "order")
        .annotate(ticket_count=Count("order__tickets"))
        .order_by("-sold_at")
    )


def open_session(station: Station) -> CashSession | None:
    """The station's open cash session, if any (one at most)."""
    return station.cash_sessions.filter(closed_at__isnull=True).select_related("opened_by").first()


def is_void(sale: CounterSale, open_session: CashSession | None) -> bool:
    """Money given back for ``sale`` now is a *void* (sold during the station's open cash session), not a
    refund."""
    return open_session is not None and sale.sold_at >= open_session.opened_at


def conflicts(organisation: Organisation) -> list[CounterSale]:
    """The organisation's counter sales kept as conflicts, the oldest first, each with ``lines`` (category,
    quantity, price) read from what its station sent, and the ``amount`` paid at the counter."""
    found = list(
        CounterSale.objects.filter(station__organisation=organisation, status=Status.CONFLICT)
        .select_related("station", "event")
        .prefetch_related("event__categories")
        .order_by("sold_at")
    )
    for sale in found:
        categories = {category.pk: category for category in sale.event.categories.all()}
        free = sale.method == Method.COMPLIMENTARY
        sale.lines = []
        for line in sale.content["lines"]:
            category = categories.get(line["category"])  # None: deleted since
            price = category.price if category and not free else ZERO
            sale.lines.append((category, line["quantity"], price))
        sale.amount = sum((quantity * price for _, quantity, price in sale.lines), ZERO)
    return found


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The first instant of ``day`` in the site's time zone and the first of the next (23 to 25 hours)."""
    zone = timezone.get_default_timezone()
    return (
        timezone.make_aware(datetime.combine(day, time.min), zone),
        timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), zone),
    )


def report_days(station: Station, limit: int = 31) -> list[date]:
    """The latest days the station sold or had a cash session open, the latest first: its Z reports."""
    zone = timezone.get_default_timezone()
    days = {moment.date() for moment in station.sales.datetimes("sold_at", "day", tzinfo=zone)}
    days |= {moment.date() for moment in station.cash_sessions.datetimes("opened_at", "day", tzinfo=zone)}
    return sorted(days, reverse=True)[:limit]


# --- cash and the Z report ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """A counter sale as the figures see it."""

    method: str
    status: str
    sold_at: datetime
    settled_at: datetime | None
    issued: bool  # it has an order: its tickets were issued
    total: Decimal
    tickets: int


def _rows(station: Station, start: datetime, end: datetime | None) -> list[Row]:
    """The station's sales sold, or given back, from ``start`` to ``end`` (None: no end), in one query."""
    sold = Q(sold_at__gte=start) & (Q(sold_at__lt=end) if end else Q())
    given_back = Q(status=Status.REFUNDED, settled_at__gte=start) & (Q(settled_at__lt=end) if end else Q())
    found = (
        CounterSale.objects.filter(station=station)
        .filter(sold | given_back)
        .annotate(tickets=Count("order__tickets"))
        .values_list("method", "status", "sold_at", "settled_at", "order_id", "order__total", "tickets")
    )
    return [
        Row(method, status, sold_at, settled_at, order_id is not None, cents(total or 0), tickets)
        for method, status, sold_at, settled_at, order_id, total, tickets in found
    ]


def _within(moment: datetime | None, start: datetime, end: datetime | None) -> bool:
    return moment is not None and start <= moment and (end is None or moment < end)


@dataclass(frozen=True)
class SessionCash:
    """What a cash session's drawer should hold, and the difference with what was counted."""

    session: CashSession
    cash_sales: Decimal
    cash_refunds: Decimal

    @classmethod
    def of(cls, session: CashSession, rows: list[Row]) -> "SessionCash":
        start, end = session.opened_at, session.closed_at
        cash = [row for row in rows if row.method == Method.CASH and row.issued]
        return cls(
            session,
            cash_sales=sum((row.total for row in cash if _within(row.sold_at, start, end)), ZERO),
            cash_refunds=sum(
                (
                    row.total
                    for row in cash
                    if row.status == Status.REFUNDED and _within(row.settled_at, start, end)
                ),
                ZERO,
            ),
        )

    @property
    def expected(self) -> Decimal:
        return self.session.opening_float + self.cash_sales - self.cash_refunds

    @property
    def difference(self) -> Decimal | None:
        """Cash counted minus expected (negative: missing); None while the session is open."""
        counted = self.session.counted_cash
        return None if counted is None else counted - self.expected

    @property
    def flagged(self) -> bool:
        return self.difference != 0  # open (None) or not what was expected


def session_cash(session: CashSession) -> SessionCash:
    return SessionCash.of(session, _rows(session.station, session.opened_at, session.closed_at))


def sessions_cash(station: Station, sessions: list[CashSession]) -> list[SessionCash]:
    """``session_cash`` of each of a station's ``sessions``, in one query."""
    if not sessions:
        return []
    start = min(session.opened_at for session in sessions)
    ends = [session.closed_at for session in sessions]
    rows = _rows(station, start, None if None in ends else max(ends))
    return [SessionCash.of(session, rows) for session in sessions]


@dataclass(frozen=True)
class MethodFigures:
    method: str
    label: str
    sales: int = 0
    tickets: int = 0
    amount: Decimal = ZERO


@dataclass(frozen=True)
class ZReport:
    """A station's day: sales per payment method, refunds, unsettled conflicts, and its cash sessions."""

    station: Station
    day: date
    methods: list[MethodFigures]  # one per payment method, in their order
    refunds: int  # sales given back that day (sold that day or before)
    refunded: Decimal
    conflicts: int  # sales of the day kept as conflicts and not settled yet
    sessions: list[SessionCash]  # opened that day

    @property
    def sales(self) -> int:
        return sum(line.sales for line in self.methods)

    @property
    def tickets(self) -> int:
        return sum(line.tickets for line in self.methods)

    @property
    def amount(self) -> Decimal:
        return sum((line.amount for line in self.methods), ZERO)

    @property
    def net(self) -> Decimal:
        return self.amount - self.refunded

    @property
    def flagged(self) -> bool:
        return bool(self.conflicts) or any(cash.flagged for cash in self.sessions)


def z_report(station: Station, day: date) -> ZReport:
    """The Z report of ``station`` for ``day`` (see the module), in two queries."""
    start, end = day_bounds(day)
    sessions = list(
        station.cash_sessions.filter(opened_at__gte=start, opened_at__lt=end)
        .select_related("opened_by", "closed_by")
        .order_by("opened_at")
    )
    first = min([start, *(session.opened_at for session in sessions)])
    ends = [session.closed_at for session in sessions]
    last = None if None in ends else max([end, *ends])
    rows = _rows(station, first, last)
    methods = []
    for method, label in Method.choices:
        sold = [
            row for row in rows if row.method == method and row.issued and _within(row.sold_at, start, end)
        ]
        amount = sum((row.total for row in sold), ZERO)
        methods.append(MethodFigures(method, str(label), len(sold), sum(row.tickets for row in sold), amount))
    refunds = [
        row
        for row in rows
        if row.status == Status.REFUNDED and row.issued and _within(row.settled_at, start, end)
    ]
    return ZReport(
        station=station,
        day=day,
        methods=methods,
        refunds=len(refunds),
        refunded=sum((row.total for row in refunds), ZERO),
        conflicts=sum(
            1 for row in rows if row.status == Status.CONFLICT and _within(row.sold_at, start, end)
        ),
        sessions=[SessionCash.of(session, rows) for session in sessions],
    )
