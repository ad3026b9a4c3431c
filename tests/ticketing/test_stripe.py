"""Stripe Checkout (T13) through the official library, over real HTTP to a local stand-in of Stripe's API,
with webhooks signed as Stripe signs them: the order is paid once, for the right amount, and refunded once."""

from decimal import Decimal

import pytest

from hub.audit import AuditEntry
from hub.models import OutboundMessage
from ticketing import tasks
from ticketing.models import Event, Order, Payment
from ticketing.payments import PaymentError
from ticketing.payments.stripe_checkout import minor_units
from ticketing.services import orders, refunds

from ..helpers import requires_postgres, run_concurrently
from .factories import CategoryFactory, seller_admin
from .stripe_standin import REFUSED_INTENT, StripeStandIn, charge_refunded, session_event, signed

pytestmark = pytest.mark.django_db
SECRET = "whsec_test_guichet"


@pytest.fixture
def stripe_api(settings):
    standin = StripeStandIn()
    settings.PAYMENT_PROVIDER = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_test_guichet"
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    settings.STRIPE_API_BASE = standin.url
    yield standin
    standin.close()


def new_order(quantity=2, price="30.00"):
    category = CategoryFactory(price=Decimal(price), quota=10)
    return orders.place_order(
        event_id=category.event_id,
        buyer_email="lena@example.org",
        language="en",
        seats=[orders.Seat(category.pk, "Lena", "Weber")] * quantity,
    )


def webhook(client, event, secret=SECRET):
    body, signature = signed(event, secret)
    return client.post(
        "/payments/stripe/notify/",
        body,
        content_type="application/json",
        headers={"stripe-signature": signature},
    )


def test_checkout_opens_a_stripe_session_for_the_orders_amount_with_its_reference(stripe_api):
    order = new_order()
    url = orders.start_payment(order=order)
    assert url.startswith("https://checkout.stripe.com/c/pay/cs_test_")
    (call,) = stripe_api.requests
    fields, headers = call["fields"], call["headers"]
    assert call["path"] == "/v1/checkout/sessions" and headers["Authorization"] == "Bearer sk_test_guichet"
    assert fields["mode"] == "payment" and fields["line_items[0][price_data][unit_amount]"] == "6000"
    assert fields["line_items[0][price_data][currency]"] == "eur"
    assert fields["metadata[reference]"] == fields["client_reference_id"] == order.reference
    assert headers["Idempotency-Key"].startswith(f"checkout-{order.reference}-")
    assert Payment.objects.get(order=order).session_id == url.rsplit("/", 1)[1]


def test_a_signed_completed_session_pays_the_order_once_and_emails_the_tickets(client, stripe_api):
    order = new_order()
    session = orders.start_payment(order=order).rsplit("/", 1)[1]
    paid = session_event("completed", session, amount=6000)
    assert webhook(client, paid).status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert OutboundMessage.objects.filter(idempotency_key=f"order-tickets:{order.reference}").count() == 1
    entries = AuditEntry.objects.count()
    assert webhook(client, paid).status_code == 200  # Stripe sends it again: nothing changes
    assert AuditEntry.objects.count() == entries and OutboundMessage.objects.count() == 1
    assert Payment.objects.get(order=order).transaction_id == f"pi_{session}"


@pytest.mark.parametrize(
    "event, secret",
    [
        (lambda s: session_event("completed", s, amount=100), SECRET),  # the wrong amount
        (lambda s: session_event("completed", s, amount=6000, currency="chf"), SECRET),  # the wrong currency
        (lambda s: session_event("completed", s, amount=6000), "whsec_forged"),  # a bad signature
    ],
    ids=["amount", "currency", "signature"],
)
def test_a_webhook_with_the_wrong_amount_or_a_bad_signature_pays_nothing(client, stripe_api, event, secret):
    order = new_order()
    session = orders.start_payment(order=order).rsplit("/", 1)[1]
    assert webhook(client, event(session), secret).status_code == 400
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING and Payment.objects.get(order=order).status == "created"


def test_a_delayed_payment_waits_for_its_outcome_and_other_events_change_nothing(client, stripe_api):
    order = new_order()
    session = orders.start_payment(order=order).rsplit("/", 1)[1]
    assert webhook(client, session_event("completed", session, amount=6000, paid=False)).status_code == 200
    refunded = charge_refunded("pi_unknown", amount=6000, refunded=6000)  # not a payment of Guichet's
    assert webhook(client, refunded).status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING
    assert webhook(client, session_event("async_payment_failed", session, amount=6000)).status_code == 200
    assert AuditEntry.objects.filter(action="payment.failed").count() == 1
    assert webhook(client, session_event("async_payment_succeeded", session, amount=6000)).status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_a_refund_goes_through_stripe_once_and_a_refusal_says_why(client, stripe_api):
    order = new_order()
    session = orders.start_payment(order=order).rsplit("/", 1)[1]
    webhook(client, session_event("completed", session, amount=6000))
    manager = seller_admin(order.organisation)
    refunds.refund_order(actor=manager, order=order, reason="the buyer cannot come")
    (refund,) = stripe_api.refunds
    assert refund["payment_intent"] == f"pi_{session}" and refund["amount"] == "6000"
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED

    other = new_order(1)
    session = orders.start_payment(order=other).rsplit("/", 1)[1]
    webhook(client, session_event("completed", session, amount=3000))
    Payment.objects.filter(order=other).update(transaction_id=REFUSED_INTENT)
    with pytest.raises(refunds.RefundRefused, match="already been refunded"):  # the reason, for the seller
        refunds.refund_order(actor=seller_admin(other.organisation, "ines"), order=other, reason="twice")
    other.refresh_from_db()
    assert other.status == Order.Status.PAID and len(stripe_api.refunds) == 1


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_a_cancelled_events_refunds_ask_stripe_once_per_order_when_the_task_runs_twice(client, stripe_api):
    paid = []
    for _ in range(3):
        order = new_order(1) if not paid else place_again(paid[0])
        session = orders.start_payment(order=order).rsplit("/", 1)[1]
        assert webhook(client, session_event("completed", session, amount=3000)).status_code == 200
        paid.append(order)
    event = paid[0].event
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)  # its refund task not run yet
    manager = seller_admin(event.organisation)
    stripe_api.refund_delay = 0.5  # the second run arrives while the first is asking Stripe
    run_concurrently(lambda: tasks.refund_event_orders(event.pk, manager.pk, "cancelled"), 2)
    tasks.refund_event_orders(event.pk, manager.pk, "cancelled")  # and a third run, once the others are done
    calls = [call for call in stripe_api.requests if call["path"] == "/v1/refunds"]
    assert sorted(call["fields"]["payment_intent"] for call in calls) == sorted(
        order.payments.get().transaction_id for order in paid
    )
    assert set(Order.objects.filter(pk__in=[o.pk for o in paid]).values_list("status", flat=True)) == {
        "refunded"
    }


def place_again(order):
    """Another order of the same event and category."""
    return orders.place_order(
        event_id=order.event_id,
        buyer_email="max@example.org",
        language="en",
        seats=[orders.Seat(order.tickets.first().category_id, "Max", "Muster")],
    )


def test_amounts_are_sent_in_minor_units_without_rounding():
    assert minor_units(Decimal("19.99")) == 1999 and minor_units(Decimal("0.10")) == 10
    with pytest.raises(PaymentError):
        minor_units(Decimal("1.005"))


def paid_with_stripe(client, quantity=2):
    order = new_order(quantity)
    session = orders.start_payment(order=order).rsplit("/", 1)[1]
    assert webhook(client, session_event("completed", session, amount=3000 * quantity)).status_code == 200
    order.refresh_from_db()
    return order, order.payments.get().transaction_id


def test_a_refund_made_in_stripes_dashboard_refunds_the_order_once(client, stripe_api):
    order, intent = paid_with_stripe(client)
    part = charge_refunded(intent, amount=6000, refunded=3000)
    assert webhook(client, part).status_code == 200
    assert webhook(client, part).status_code == 200  # sent again: nothing more
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and order.refunded_amount == Decimal("30.00")
    assert set(order.tickets.values_list("status", flat=True)) == {"valid"}, "which ticket: the seller knows"

    assert webhook(client, charge_refunded(intent, amount=6000, refunded=6000)).status_code == 200
    assert webhook(client, charge_refunded(intent, amount=6000, refunded=6000)).status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED and order.refunded_amount == Decimal("60.00")
    assert set(order.tickets.values_list("status", flat=True)) == {"refunded"}
    assert OutboundMessage.objects.filter(idempotency_key=f"order-refunded:{order.reference}").count() == 1
    assert AuditEntry.objects.filter(action="refund.outside").count() == 2
    assert stripe_api.refunds == [], "Guichet asked Stripe for nothing"


def test_the_news_of_guichets_own_refunds_changes_nothing(client, stripe_api):
    order, intent = paid_with_stripe(client)
    manager = seller_admin(order.organisation)
    refunds.refund_ticket(actor=manager, ticket=order.tickets.first(), reason="ill")
    assert webhook(client, charge_refunded(intent, amount=6000, refunded=3000)).status_code == 200
    refunds.refund_order(actor=manager, order=order, reason="all")
    assert webhook(client, charge_refunded(intent, amount=6000, refunded=6000)).status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED and order.refunded_amount == Decimal("60.00")
    assert order.payments.get().refunds.count() == 2
    assert not AuditEntry.objects.filter(action="refund.outside").exists()
