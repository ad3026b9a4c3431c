"""Orders: checkout with seats held under lock, payment notifications, e-tickets, expiry and refunds."""

import logging
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hub import messaging, ratelimit
from hub.audit import log_action
from hub.celery import delay_on_commit
from hub.tokens import readable_code

from .. import qr, selectors
from ..audit import Action
from ..commission import Schedule, quote
from ..models import Event, Order, Payment, Ticket
from ..payments import Notification, PaymentError, get_provider
from ..permissions import require_active, require_manager
from ..signals import order_arguments, order_paid, send_after_commit

logger = logging.getLogger(__name__)


class CheckoutError(ValidationError):
    """The order cannot be placed as asked (sold out, sales closed, bad input)."""


class PaymentRejected(Exception):
    """A notification that does not match its payment (amount, currency, unknown session)."""


@dataclass(frozen=True)
class Seat:
    category_id: int
    first_name: str
    last_name: str


def check_ticket_count(count: int) -> None:
    """The one limit on the tickets of an order, ``settings.MAX_TICKETS_PER_ORDER``: the event page offers no
    more, and more is refused with a message, never quietly cut down."""
    limit = settings.MAX_TICKETS_PER_ORDER
    if count > limit:
        raise CheckoutError(_("At most %(n)s tickets per order.") % {"n": limit}, code="too_many_tickets")


def new_reference() -> str:
    return readable_code(8)


@transaction.atomic
def place_order(
    *,
    event_id: int,
    buyer_email: str,
    language: str,
    seats: list[Seat],
    channel: str = Order.Channel.ONLINE,
    station=None,
    hold_minutes: int | None = None,
) -> Order:
    """Hold the seats for ``hold_minutes`` (``ORDER_HOLD_MINUTES`` by default) and return the pending order
    (paid at once when free); a kiosk passes its ``channel`` and itself as ``station``.

    The event row is locked for the check and the insert, so concurrent checkouts never oversell.
    """
    event = Event.objects.select_for_update().select_related("organisation").get(pk=event_id)
    require_active(event.organisation)
    now = timezone.now()
    if not event.on_sale(now):
        raise CheckoutError(_("Ticket sales for this event are closed."))
    if not seats:
        raise CheckoutError(_("Choose at least one ticket."))
    check_ticket_count(len(seats))
    categories = {c.pk: c for c in event.categories.all()}
    wanted = Counter(seat.category_id for seat in seats)
    if not set(wanted) <= set(categories):
        raise CheckoutError(_("This ticket category does not exist."))
    taken = selectors.seats_taken(event, now)
    for category_id, count in wanted.items():
        left = categories[category_id].quota - taken[category_id]
        if count > left:
            raise CheckoutError(
                _("Only %(left)s seats left in “%(category)s”.")
                % {"left": max(left, 0), "category": categories[category_id].name}
            )
    if sum(taken.values()) + len(seats) > event.capacity:
        raise CheckoutError(_("This event is sold out."))

    order = Order.objects.create(
        organisation=event.organisation,
        event=event,
        reference=new_reference(),
        buyer_email=buyer_email.strip(),
        language=language,
        channel=channel,
        station=station,
        total=sum((categories[s.category_id].price for s in seats), Decimal("0.00")),
        currency=event.organisation.currency,
        created_at=now,
        expires_at=now + timedelta(minutes=hold_minutes or settings.ORDER_HOLD_MINUTES),
    )
    Ticket.objects.bulk_create(
        Ticket(
            order=order,
            event=event,
            category=categories[seat.category_id],
            number=f"{order.reference}-{index}",
            secret=secrets.token_urlsafe(24),  # 192 random bits
            first_name=seat.first_name.strip(),
            last_name=seat.last_name.strip(),
            price=categories[seat.category_id].price,
            vat_rate=categories[seat.category_id].vat_rate,
        )
        for index, seat in enumerate(seats, start=1)
    )
    log_action(buyer_email, Action.ORDER_PLACED, order, {"tickets": len(seats), "total": str(order.total)})
    if order.total == 0:
        confirm_paid(order, now)
    return order


def order_url(order: Order) -> str:
    """The buyer's page for this order (signed, so only the buyer's link opens it)."""
    token = signing.dumps(order.reference, salt="ticketing.order")
    with translation.override(order.language):
        return settings.SITE_URL + reverse("ticketing:order", args=[order.reference, token])


def start_payment(*, order: Order, return_url: str = "", cancel_url: str = "") -> str:
    """Open a session on the provider's hosted page; returns where to send the buyer, who comes back to
    ``return_url`` once paid and to ``cancel_url`` otherwise (the order's page by default).

    The provider is asked first, with no transaction open; the payment row and its audit entry are then
    written together. A session left without its row (the database failed in between) can never be paid
    for: its notification is refused as an unknown session."""
    if order.status != Order.Status.PENDING or order.expires_at <= timezone.now():
        raise CheckoutError(_("This order is no longer waiting for payment."))
    provider = get_provider()
    try:
        session = provider.create_session(
            reference=order.reference,
            amount=order.total,
            currency=order.currency,
            description=f"{order.event.title} · {order.reference}",
            return_url=return_url or order_url(order) + "?paid=1",  # "we are confirming your payment"
            cancel_url=cancel_url or order_url(order),  # the held order, with a button to try paying again
            notify_url=settings.SITE_URL + reverse("payment_notify", args=[provider.code]),
        )
    except PaymentError as error:
        log_action(
            order.buyer_email,
            Action.PAYMENT_START_FAILED,
            order,
            {"provider": provider.code, "error": str(error)[:500]},
        )
        raise
    with transaction.atomic():
        Payment.objects.create(
            order=order,
            provider=provider.code,
            session_id=session.id,
            amount=order.total,
            currency=order.currency,
        )
        log_action(
            order.buyer_email,
            Action.PAYMENT_STARTED,
            order,
            {"provider": provider.code, "session": session.id},
        )
    return session.redirect_url


@transaction.atomic
def record_payment(*, provider: str, notification: Notification) -> Payment:
    """Apply a verified notification. The same one twice changes nothing the second time."""
    payment = (
        Payment.objects.select_for_update()
        .filter(provider=provider, session_id=notification.session_id)
        .first()
    )
    if payment is None:
        raise PaymentRejected(f"unknown session {notification.session_id}")
    if notification.status != "paid":
        log_action(provider, Action.PAYMENT_FAILED, payment.order, {"session": payment.session_id})
        return payment
    if payment.status != Payment.Status.CREATED:
        if payment.transaction_id == notification.transaction_id:
            return payment  # a replay
        raise PaymentRejected(f"session {payment.session_id} is already settled by another transaction")
    if notification.amount != payment.amount or notification.currency != payment.currency:
        raise PaymentRejected(
            f"expected {payment.amount} {payment.currency}, got {notification.amount} {notification.currency}"
        )
    now = timezone.now()
    payment.status = Payment.Status.PAID
    payment.transaction_id = notification.transaction_id
    payment.paid_at = now
    payment.save(update_fields=["status", "transaction_id", "paid_at"])
    order = Order.objects.select_for_update().get(pk=payment.order_id)
    log_action(
        provider,
        Action.PAYMENT_RECEIVED,
        order,
        {"amount": str(payment.amount), "session": payment.session_id},
    )
    if order.status == Order.Status.PENDING:
        confirm_paid(order, now)
    elif order.status == Order.Status.EXPIRED and _seats_still_free(order, now):
        Ticket.objects.filter(order=order, status=Ticket.Status.VOID).update(status=Ticket.Status.RESERVED)
        confirm_paid(order, now)
    else:  # paid too late for its seats, or a second payment for a paid order: give the money back
        log_action(provider, Action.PAYMENT_REFUND_SCHEDULED, order, {"reason": f"order is {order.status}"})
        delay_on_commit("ticketing.refund_payment", payment.pk, "payment for an unavailable order")
    return payment


def _seats_still_free(order: Order, now) -> bool:
    event = Event.objects.select_for_update().get(pk=order.event_id)
    if event.status != Event.Status.PUBLISHED:
        return False
    taken = selectors.seats_taken(event, now)
    wanted = Counter(order.tickets.values_list("category_id", flat=True))
    quotas = dict(event.categories.values_list("pk", "quota"))
    fits_quota = all(taken[c] + n <= quotas[c] for c, n in wanted.items())
    return fits_quota and sum(taken.values()) + sum(wanted.values()) <= event.capacity


def confirm_paid(order: Order, now, *, send_tickets: bool = True) -> None:
    """Paid: tickets become valid, the commission is fixed now for good, and the tickets are emailed."""
    schedule = Schedule.of(order.organisation)
    tickets = list(order.tickets.all())
    for ticket in tickets:
        commission = quote(ticket.price, schedule)
        ticket.commission_excl_vat = commission.commission_excl_vat
        ticket.commission_vat = commission.commission_vat
        ticket.status = Ticket.Status.VALID
    Ticket.objects.bulk_update(tickets, ["commission_excl_vat", "commission_vat", "status"])
    order.status = Order.Status.PAID
    order.paid_at = now
    order.commission_excl_vat = sum((t.commission_excl_vat for t in tickets), Decimal("0.00"))
    order.commission_vat = sum((t.commission_vat for t in tickets), Decimal("0.00"))
    order.save(update_fields=["status", "paid_at", "commission_excl_vat", "commission_vat"])
    announce_paid(order, len(tickets), send_tickets=send_tickets)


def announce_paid(order: Order, tickets: int, *, send_tickets: bool) -> None:
    """What follows an order's payment: the audit entry, ``order_paid`` after commit, the tickets by email."""
    log_action(
        None,
        Action.ORDER_PAID,
        order,
        {"total": str(order.total), "commission": str(order.commission_excl_vat)},
    )
    send_after_commit(
        order_paid,
        Order,
        **order_arguments(order),
        total=order.total,
        tickets=tickets,
        paid_at=order.paid_at,
    )
    if send_tickets:
        enqueue_ticket_email(order, key=f"order-tickets:{order.reference}")


def enqueue_ticket_email(order: Order, *, key: str) -> None:
    """The buyer's tickets, each with its QR code inline, through the outbox."""
    tickets = list(order.tickets.filter(status=Ticket.Status.VALID).select_related("category"))
    with translation.override(order.language):
        context = {
            "order": order,
            "event": order.event,
            "tickets": [(t, qr.ticket_url(t), f"qr-{t.number}@guichet") for t in tickets],
            "order_url": order_url(order),
        }
        messaging.enqueue_email(
            to=order.buyer_email,
            subject=_("Your tickets for %(event)s") % {"event": order.event.title},
            body=render_to_string("ticketing/emails/tickets.txt", context),
            html=render_to_string("ticketing/emails/tickets.html", context),
            attachments=[
                (f"{t.number}.png", qr.png(url), "image/png", content_id)
                for t, url, content_id in context["tickets"]
            ],
            idempotency_key=key,
        )


@transaction.atomic
def resend_tickets(*, actor, order: Order, ip=None) -> None:
    """Send the tickets again: ``actor`` is a seller's user, or the buyer's email (customer space)."""
    if isinstance(actor, str):
        if actor.lower() != order.buyer_email.lower():
            raise PermissionDenied
    else:
        require_manager(actor, order.organisation)
    if order.status != Order.Status.PAID:
        raise ValidationError(_("Only paid orders have tickets to send."))
    if not ratelimit.hit("resend-tickets", order.reference, limit=5, window=3600):
        raise ValidationError(_("The tickets were sent several times already. Try again in an hour."))
    enqueue_ticket_email(order, key=f"order-tickets:{order.reference}:resend:{timezone.now().timestamp()}")
    log_action(actor, Action.ORDER_TICKETS_RESENT, order, ip=ip)


def expire_orders(now=None) -> int:
    """Release the seats of orders not paid in time, and of box-office allotments whose event ended."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            Order.objects.select_for_update(skip_locked=True)
            .filter(status__in=[Order.Status.PENDING, Order.Status.HELD], expires_at__lte=now)
            .values_list("pk", flat=True)[:1000]
        )
        Order.objects.filter(pk__in=ids).update(status=Order.Status.EXPIRED)
        Ticket.objects.filter(order_id__in=ids, status=Ticket.Status.RESERVED).update(
            status=Ticket.Status.VOID
        )
    if ids:
        logger.info("expired %d unpaid orders", len(ids))
    return len(ids)


__all__ = [
    "CheckoutError",
    "PaymentError",
    "PaymentRejected",
    "Seat",
    "check_ticket_count",
    "enqueue_ticket_email",
    "expire_orders",
    "order_url",
    "place_order",
    "record_payment",
    "resend_tickets",
    "start_payment",
]
