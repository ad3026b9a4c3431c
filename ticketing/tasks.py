import logging

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from urllib3.exceptions import HTTPError

from .models import Event, Order, Payment
from .payments import demobank
from .services import customers, listings, orders, refunds, settlements

logger = logging.getLogger(__name__)


@shared_task(name="ticketing.expire_orders")
def expire_orders() -> int:
    return orders.expire_orders()


@shared_task(name="ticketing.compute_settlements")
def compute_settlements() -> int:
    return settlements.compute_due_settlements()


@shared_task(name="ticketing.dispatch_listings")
def dispatch_listings() -> int:
    return listings.dispatch_due_listings()


@shared_task(name="ticketing.send_customer_link")
def send_customer_link(email: str, language: str) -> None:
    customers.send_sign_in_link(email=email, language=language)


@shared_task(
    name="ticketing.refund_payment", autoretry_for=(refunds.RefundNotDone,), retry_backoff=30, max_retries=8
)
def refund_payment(payment_id: int, reason: str) -> None:
    refunds.refund_payment(payment=Payment.objects.get(pk=payment_id), reason=reason)


@shared_task(name="ticketing.refund_event_orders")
def refund_event_orders(event_id: int, actor_id: int, reason: str) -> int:
    """Refund every paid order of a cancelled event; safe to run again (refunded orders are skipped)."""
    actor = get_user_model().objects.get(pk=actor_id)
    event = Event.objects.get(pk=event_id)
    refunded = 0
    for order in Order.objects.filter(event=event, status=Order.Status.PAID):
        try:
            refunds.refund_order(actor=actor, order=order, reason=reason)
            refunded += 1
        except ValidationError as error:  # refused by the provider, or not refundable: run the task again
            logger.error("order %s was not refunded: %s", order.reference, error.messages[0])
    return refunded


class NotificationRefused(Exception):
    pass


@shared_task(
    name="ticketing.demobank_notify",
    autoretry_for=(NotificationRefused, OSError, HTTPError),
    retry_backoff=5,
    max_retries=10,
)
def demobank_notify(token: str) -> None:
    """The demo bank's server calling the merchant back, as a real bank does after a payment."""
    status = demobank.send_notification(demobank.read_session(token))
    if not 200 <= status < 300:
        raise NotificationRefused(f"merchant answered HTTP {status}")
