"""Refunds through the payment provider: never made twice, and never asked while a row lock is held.

A whole order is refunded (``refund_order``: what is left of it), or one of its tickets (``refund_ticket``:
its price; the order's last ticket refunds the order).

A refund goes in three steps. (1) A short transaction locks the order (or the payment), checks it, and
records the refund as ``pending``, claimed by this request for ``CLAIM_SECONDS``. (2) The provider is asked,
with no transaction open. (3) A second transaction records its answer: made (payment and order refunded,
tickets refunded, buyer emailed and ``order_refunded`` sent after commit), refused (the refund is
``failed`` with the provider's reason, the order is unchanged, the seller is told why) or unknown.

Idempotency keys name a refund, not a request: ``refund:<payment id>:<attempt>``.

- The provider refused: that attempt is over. Asking again starts attempt n+1 with a new key (the provider
  would give the same refusal to the old key).
- The provider did not answer (``ProviderUnavailable``, or the process stopped between the steps): the
  refund may have been made, so it stays ``pending`` and the next request asks again with the SAME key;
  the provider then answers with the refund it made, if any, never a second one.
- A pending refund claimed by a request that is still asking is not taken by another request: two
  refunds of one order at the same time never both ask the provider. A payment has at most one refund
  pending, and a ticket at most one refund pending or made (database constraints).
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hub import messaging
from hub.audit import log_action

from ..audit import Action
from ..models import Order, Payment, Refund, Ticket
from ..payments import Notification, PaymentError, ProviderUnavailable, get_provider
from ..permissions import require_manager
from ..signals import order_arguments, order_refunded, send_after_commit

CLAIM_SECONDS = 120  # longer than any provider call may take


class RefundNotDone(ValidationError):
    """The money was not given back (yet); the message says why, for the seller."""


class RefundInProgress(RefundNotDone):
    pass


class RefundRefused(RefundNotDone):
    pass


class RefundOutcomeUnknown(RefundNotDone):
    pass


def refund_order(*, actor, order: Order, reason: str) -> Order:
    """Cancel a paid order and give the whole of it back through the provider (see the module)."""
    require_manager(actor, order.organisation)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status != Order.Status.PAID:
            raise ValidationError(_("Only paid orders can be refunded."))
        if order.total == order.refunded_amount:  # nothing (left) to give back
            _cancel(actor, order, reason)
            return order
        payment = order.payments.filter(status=Payment.Status.PAID).first()
        if payment is None:
            raise ValidationError(
                _("No payment is recorded for this order, so it cannot be refunded through the bank.")
            )
        refund = _claim(actor, payment, amount=order.total - order.refunded_amount, reason=reason)
    answer = _ask_provider(refund)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if _record(actor, refund, answer) and order.status == Order.Status.PAID:
            _cancel(actor, order, reason)
    _raise_unless_made(refund)
    return order


def refund_ticket(*, actor, ticket: Ticket, reason: str) -> Ticket:
    """Give back one ticket of a paid order through the provider: its seat goes back on sale and its
    commission is not kept; the order's other tickets stay valid (see the module)."""
    require_manager(actor, ticket.order.organisation)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=ticket.order_id)
        ticket = order.tickets.get(pk=ticket.pk)
        if order.status != Order.Status.PAID or ticket.status != Ticket.Status.VALID:
            raise ValidationError(_("Only a valid ticket of a paid order can be refunded."))
        if ticket.price == 0:  # nothing to give back
            _give_back(actor, order, ticket, reason)
            return ticket
        payment = order.payments.filter(status=Payment.Status.PAID).first()
        if payment is None:  # paid at the counter: given back there
            raise ValidationError(
                _("No payment is recorded for this order, so it cannot be refunded through the bank.")
            )
        refund = _claim(actor, payment, amount=ticket.price, reason=reason, ticket=ticket)
    answer = _ask_provider(refund)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        ticket = order.tickets.get(pk=ticket.pk)
        if _record(actor, refund, answer) and ticket.status == Ticket.Status.VALID:
            _give_back(actor, order, ticket, reason)
    _raise_unless_made(refund)
    return ticket


def refund_payment(*, payment: Payment, reason: str) -> None:
    """Give back a payment that cannot buy anything (late, or a second one); the order is left as it is."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status != Payment.Status.PAID:
            return
        refund = _claim(None, payment, amount=payment.amount, reason=reason)
    answer = _ask_provider(refund)
    with transaction.atomic():
        if _record(None, refund, answer):
            log_action(
                None,
                Action.PAYMENT_REFUNDED,
                payment.order,
                {"amount": str(payment.amount), "reason": reason},
            )
            _email_buyer(
                payment.order,
                key=f"payment-refunded:{payment.pk}",
                template="ticketing/emails/payment_refunded.txt",
                subject=gettext_noop("Your payment for order %(reference)s was refunded"),
            )
    _raise_unless_made(refund)


@transaction.atomic
def record_provider_refund(*, provider: str, notification: Notification) -> None:
    """The provider says how much of a payment it gave back in all (``charge.refunded``). What Guichet did
    not ask for was refunded in the provider's dashboard: all of the payment refunds the order (its tickets
    stop working); a part is recorded on the order, whose tickets stay as they are. A replay, or the news of
    Guichet's own refunds, changes nothing."""
    payment = Payment.objects.filter(provider=provider, transaction_id=notification.transaction_id).first()
    if payment is None or notification.currency != payment.currency:
        return  # not a payment of Guichet's (the account may sell other things)
    order = Order.objects.select_for_update().get(pk=payment.order_id)  # before its payment, as refunds do
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    asked = payment.refunds.filter(status__in=[Refund.Status.PENDING, Refund.Status.SUCCEEDED])
    outside = notification.amount - (asked.aggregate(total=Sum("amount"))["total"] or 0)
    if outside <= 0:
        return
    reason = _("Refunded in the payment provider's dashboard")
    Refund.objects.create(
        payment=payment,
        amount=outside,
        status=Refund.Status.SUCCEEDED,
        idempotency_key=f"outside:{payment.pk}:{notification.amount}",
        reason=reason,
        completed_at=timezone.now(),
    )
    log_action(provider, Action.REFUNDED_OUTSIDE, order, {"amount": str(outside), "of": str(payment.amount)})
    if order.status != Order.Status.PAID:
        return
    if notification.amount < payment.amount:  # a part: which tickets, only the seller knows
        order.refunded_amount += outside
        order.save(update_fields=["refunded_amount"])
        return
    payment.status = Payment.Status.REFUNDED
    payment.save(update_fields=["status"])
    _cancel(None, order, reason)


def _claim(actor, payment: Payment, *, amount, reason: str, ticket: Ticket | None = None) -> Refund:
    """Step 1, in the caller's transaction: the refund to ask for (of ``ticket``, or of the whole payment),
    claimed by this request."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    now = timezone.now()
    refund = payment.refunds.filter(status=Refund.Status.PENDING).first()
    if refund is not None and refund.claimed_until and refund.claimed_until > now:
        raise RefundInProgress(_("A refund of this order is already under way. Look again in a moment."))
    if refund is not None and refund.ticket_id != (ticket.pk if ticket else None):
        raise RefundInProgress(
            _(
                "Another refund of this order is still waiting for the payment provider's answer. Ask for "
                "that one again first: it is never made twice."
            )
        )
    if refund is None:
        attempt = payment.refunds.count() + 1
        refund = Refund(
            payment=payment,
            ticket=ticket,
            amount=amount,
            reason=reason,
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
            idempotency_key=f"refund:{payment.pk}:{attempt}",
        )
    refund.claimed_until = now + timedelta(seconds=CLAIM_SECONDS)
    refund.save()
    log_action(
        actor,
        Action.REFUND_REQUESTED,
        payment.order,
        {
            "amount": str(refund.amount),
            "idempotency_key": refund.idempotency_key,
            **({"ticket": ticket.number} if ticket else {}),
        },
    )
    return refund


def _ask_provider(refund: Refund) -> tuple[str, str]:
    """Step 2, no transaction open: (the refund's new status, the provider's reference or reason)."""
    payment = refund.payment
    try:
        reference = get_provider(payment.provider).refund(
            transaction_id=payment.transaction_id,
            amount=refund.amount,
            currency=payment.currency,
            idempotency_key=refund.idempotency_key,
        )
    except ProviderUnavailable as error:
        return Refund.Status.PENDING, str(error)
    except PaymentError as error:
        return Refund.Status.FAILED, str(error)
    return Refund.Status.SUCCEEDED, reference


def _record(actor, refund: Refund, answer: tuple[str, str]) -> bool:
    """Step 3, in the caller's transaction: the provider's answer. True when this made the refund."""
    status, detail = answer
    payment = Payment.objects.select_for_update().get(pk=refund.payment_id)
    current = Refund.objects.select_for_update().get(pk=refund.pk)
    if current.status != Refund.Status.PENDING:  # another request recorded the same key's answer
        refund.status, refund.failure = current.status, current.failure
        return False
    refund.status, refund.claimed_until = status, None
    if status == Refund.Status.SUCCEEDED:
        refund.provider_reference, refund.completed_at = detail, timezone.now()
        if refund.ticket_id is None:  # a ticket's refund leaves the rest of the payment paid
            payment.status = Payment.Status.REFUNDED
            payment.save(update_fields=["status"])
    elif status == Refund.Status.FAILED:
        refund.failure, refund.completed_at = detail[:500], timezone.now()
    refund.save(update_fields=["status", "claimed_until", "provider_reference", "failure", "completed_at"])
    if status != Refund.Status.SUCCEEDED:
        action = Action.REFUND_FAILED if status == Refund.Status.FAILED else Action.REFUND_UNCONFIRMED
        log_action(actor, action, payment.order, {"idempotency_key": refund.idempotency_key, "error": detail})
    return status == Refund.Status.SUCCEEDED


def _raise_unless_made(refund: Refund) -> None:
    if refund.status == Refund.Status.FAILED:
        raise RefundRefused(
            _(
                "The payment provider refused the refund (%(reason)s). The order is unchanged; "
                "you can try again."
            )
            % {"reason": refund.failure}
        )
    if refund.status == Refund.Status.PENDING:
        raise RefundOutcomeUnknown(
            _(
                "The payment provider did not answer, so the refund may not be made yet. Try again in a few "
                "minutes: the same refund is asked for again, it is never made twice."
            )
        )


def _cancel(actor, order: Order, reason: str) -> None:
    """The order is refunded (cancelled when it was free): its tickets no longer let anyone in."""
    now = timezone.now()
    order.status = Order.Status.REFUNDED if order.total > 0 else Order.Status.CANCELLED
    order.refunded_amount = order.total
    order.cancelled_at = now
    order.save(update_fields=["status", "refunded_amount", "cancelled_at"])
    order.tickets.filter(status=Ticket.Status.VALID).update(status=Ticket.Status.REFUNDED)
    log_action(actor, Action.ORDER_REFUNDED, order, {"amount": str(order.total), "reason": reason})
    _email_buyer(
        order,
        key=f"order-refunded:{order.reference}",
        template="ticketing/emails/refunded.txt",
        subject=gettext_noop("Your order %(reference)s is cancelled and refunded"),
    )
    send_after_commit(
        order_refunded,
        Order,
        **order_arguments(order),
        reason=reason,
        amount=order.total,
        refunded_at=now,
    )


def _give_back(actor, order: Order, ticket: Ticket, reason: str) -> None:
    """One ticket is refunded: it no longer lets anyone in; the order's last ticket cancels the order."""
    ticket.status = Ticket.Status.REFUNDED
    ticket.save(update_fields=["status"])
    log_action(actor, Action.TICKET_REFUNDED, order, {"ticket": ticket.number, "amount": str(ticket.price)})
    if not order.tickets.filter(status=Ticket.Status.VALID).exists():
        order.payments.filter(status=Payment.Status.PAID).update(status=Payment.Status.REFUNDED)
        _cancel(actor, order, reason)
        return
    order.refunded_amount += ticket.price
    order.save(update_fields=["refunded_amount"])
    _email_buyer(
        order,
        key=f"ticket-refunded:{ticket.number}",
        template="ticketing/emails/ticket_refunded.txt",
        subject=gettext_noop("A ticket of your order %(reference)s is refunded"),
        ticket=ticket,
    )


def _email_buyer(order: Order, *, key: str, template: str, subject: str, **context) -> None:
    with translation.override(order.language):
        messaging.enqueue_email(
            to=order.buyer_email,
            subject=_(subject) % {"reference": order.reference},
            body=render_to_string(template, {"order": order, "event": order.event, **context}),
            idempotency_key=key,
        )
