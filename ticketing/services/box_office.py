"""The box office's cash and corrections: a station's cash sessions (the float counted into the drawer at
opening, the cash counted at closing, for the Z report) and counter sales whose money is given back at the
counter.

A sale given back during the cash session it was sold in is a *void* for the staff, a later one a *refund*:
the same service, the same effects. The order is refunded (cancelled when it was free) and its tickets
refunded, so their seats go back on sale and their commission is no longer kept, as for an online refund;
no payment provider is asked, the money leaves the drawer or the card terminal.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.audit import log_action
from hub.models import Role

from ..audit import Action
from ..box_office_selectors import is_void, open_session, session_cash
from ..models import CashSession, CounterSale, Order, Station, Ticket
from ..permissions import require_manager, require_member
from ..signals import order_arguments, order_refunded, send_after_commit

CASH_ROLES = (Role.BOX_OFFICE, Role.SELLER_ADMIN)  # who opens and closes a station's cash drawer


@transaction.atomic
def open_cash_session(*, actor, station: Station, opening_float: Decimal) -> CashSession:
    """Open the station's cash drawer with ``opening_float`` in it; a station has one open session at most."""
    station = Station.objects.select_for_update().select_related("organisation").get(pk=station.pk)
    require_member(actor, station.organisation, *CASH_ROLES)
    if station.revoked_at is not None:
        raise ValidationError(_("This station is revoked: it can no longer sell."))
    if opening_float is None or opening_float < 0:
        raise ValidationError({"opening_float": _("The float is an amount of 0 or more.")})
    already = _("A cash session is already open at this station: close it first.")
    if open_session(station) is not None:
        raise ValidationError(already)
    try:
        with transaction.atomic():  # the database constraint backs the check above
            session = CashSession.objects.create(
                station=station, opened_by=actor, opening_float=opening_float
            )
    except IntegrityError:
        raise ValidationError(already) from None
    log_action(
        actor,
        Action.CASH_SESSION_OPENED,
        session,
        {"station": station.name, "opening_float": str(opening_float)},
    )
    return session


@transaction.atomic
def close_cash_session(*, actor, session: CashSession, counted_cash: Decimal, note: str = "") -> CashSession:
    """Close a cash session with the cash counted in the drawer; the audit keeps what was expected."""
    session = (
        CashSession.objects.select_for_update().select_related("station__organisation").get(pk=session.pk)
    )
    require_member(actor, session.station.organisation, *CASH_ROLES)
    if session.closed_at is not None:
        raise ValidationError(_("This cash session is already closed."))
    if counted_cash is None or counted_cash < 0:
        raise ValidationError({"counted_cash": _("The cash counted is an amount of 0 or more.")})
    session.closed_at, session.closed_by = timezone.now(), actor
    session.counted_cash, session.note = counted_cash, note.strip()
    session.save(update_fields=["closed_at", "closed_by", "counted_cash", "note"])
    cash = session_cash(session)
    log_action(
        actor,
        Action.CASH_SESSION_CLOSED,
        session,
        {
            "station": session.station.name,
            "expected": str(cash.expected),
            "counted": str(counted_cash),
            "difference": str(cash.difference),
            "note": session.note,
        },
    )
    return session


@transaction.atomic
def refund_counter_sale(*, actor, sale: CounterSale, note: str) -> CounterSale:
    """A manager gives a counter sale's money back at the counter (see the module): a void during the cash
    session it was sold in, a refund later. A ticket already scanned in cannot be given back."""
    sale = CounterSale.objects.select_for_update().select_related("station__organisation").get(pk=sale.pk)
    require_manager(actor, sale.station.organisation)
    if sale.status == CounterSale.Status.REFUNDED:
        raise ValidationError(_("This sale was already given back."))
    if sale.status == CounterSale.Status.CONFLICT:
        raise ValidationError(_("This sale is a conflict: settle it on the conflicts page."))
    if not note.strip():
        raise ValidationError({"note": _("Say why the money is given back.")})
    order = Order.objects.select_for_update().get(pk=sale.order_id)
    if order.status != Order.Status.PAID:
        raise ValidationError(_("Only paid orders can be refunded."))
    if order.tickets.filter(first_entry_at__isnull=False).exists():
        raise ValidationError(
            _("A ticket of this sale was already scanned in at the door: its money cannot be given back.")
        )
    void = is_void(sale, open_session(sale.station))
    now = timezone.now()
    order.status = Order.Status.REFUNDED if order.total > 0 else Order.Status.CANCELLED
    order.refunded_amount, order.cancelled_at = order.total, now
    order.save(update_fields=["status", "refunded_amount", "cancelled_at"])
    order.tickets.filter(status=Ticket.Status.VALID).update(status=Ticket.Status.REFUNDED)
    sale.status, sale.settled_by, sale.settled_at = CounterSale.Status.REFUNDED, actor, now
    sale.save(update_fields=["status", "settled_by", "settled_at"])
    log_action(
        actor,
        Action.COUNTER_SALE_REFUNDED,
        order,
        {"sale": str(sale.client_uuid), "amount": str(order.total), "void": void, "note": note.strip()},
    )
    send_after_commit(
        order_refunded,
        Order,
        **order_arguments(order),
        reason=note.strip(),
        amount=order.total,
        refunded_at=now,
    )
    return sale
