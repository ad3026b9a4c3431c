"""Checkout, payment notifications, expiry, refunds: the order engine against the real database."""

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hub.models import AuditEntry, OutboundMessage
from ticketing import selectors
from ticketing.models import Order, Organisation, Payment, Refund, Ticket
from ticketing.payments import PROVIDERS, ProviderUnavailable, demobank
from ticketing.payments.demo import DemoProvider
from ticketing.permissions import SellerNotActive
from ticketing.services import orders, refunds

from ..helpers import requires_postgres, run_concurrently
from .factories import CategoryFactory, EventFactory, bank_session, notify, pay, seller_admin


def seats(category, count=1):
    return [orders.Seat(category.pk, f"Prénom{i}", f"Nom{i}") for i in range(count)]


def place(category, count=1, email="buyer@example.org"):
    return orders.place_order(
        event_id=category.event_id, buyer_email=email, language="fr", seats=seats(category, count)
    )


@pytest.fixture
def category(db):
    return CategoryFactory(price=Decimal("25.00"), quota=50)


def test_checkout_holds_seats_and_payment_confirms_them(client, category):
    order = place(category, 2)
    assert order.status == Order.Status.PENDING
    assert order.total == Decimal("50.00")
    assert selectors.availability(category.event)[category.pk] == 48
    tickets = list(order.tickets.all())
    assert [t.number for t in tickets] == [f"{order.reference}-1", f"{order.reference}-2"]
    assert all(len(t.secret) >= 32 for t in tickets)  # 24 random bytes, URL-safe: 192 bits
    assert len({t.secret for t in tickets}) == 2

    session = bank_session(order)
    body = demobank.notification_body(session)
    assert notify(client, body, demobank.sign(body)).status_code == 200

    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.commission_excl_vat == Decimal("2.00") and order.commission_vat == Decimal("0.40")
    assert set(order.tickets.values_list("status", flat=True)) == {Ticket.Status.VALID}
    assert set(order.tickets.values_list("commission_excl_vat", flat=True)) == {Decimal("1.00")}
    email = OutboundMessage.objects.get(idempotency_key=f"order-tickets:{order.reference}")
    assert email.recipient == "buyer@example.org"
    assert email.attachments.count() == 2


def test_a_replayed_notification_makes_one_payment(client, category):
    order = place(category, 1)
    body = demobank.notification_body(bank_session(order))
    signature = demobank.sign(body)
    assert notify(client, body, signature).status_code == 200
    assert notify(client, body, signature).status_code == 200
    assert Payment.objects.filter(status=Payment.Status.PAID).count() == 1
    assert OutboundMessage.objects.filter(idempotency_key__startswith="order-tickets:").count() == 1
    assert AuditEntry.objects.filter(action="payment.received").count() == 1


@pytest.mark.parametrize(
    "tamper",
    [
        lambda body, sig: (body, sig.replace("v1=", "v1=0")),  # wrong signature
        lambda body, sig: (body, ""),  # no signature
        lambda body, sig: (body.replace(b'"25.00"', b'"2.50"'), sig),  # body changed after signing
        lambda body, sig: (body, demobank.sign(body, timestamp=1_000_000_000)),  # stale timestamp
    ],
)
def test_a_notification_that_is_not_authentic_changes_nothing(client, category, tamper):
    order = place(category, 1)
    body, signature = tamper(
        *(lambda b: (b, demobank.sign(b)))(demobank.notification_body(bank_session(order)))
    )
    assert notify(client, body, signature).status_code == 400
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING
    assert not Payment.objects.filter(status=Payment.Status.PAID).exists()
    assert AuditEntry.objects.filter(action="payment.notification_rejected").count() == 1


def test_a_signed_notification_with_the_wrong_amount_or_currency_is_rejected(client, category):
    order = place(category, 1)
    session = bank_session(order)
    for field, value in (("amount", "2.50"), ("currency", "CHF")):
        data = json.loads(demobank.notification_body(session))
        data[field] = value
        body = json.dumps(data).encode()
        assert notify(client, body, demobank.sign(body)).status_code == 400
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING
    rejected = AuditEntry.objects.filter(action="payment.notification_rejected")
    assert [e.data["error"].split(",")[0] for e in rejected] == ["expected 25.00 EUR"] * 2


def test_a_quota_cannot_be_exceeded(category):
    for _ in range(4):
        place(category, 10)
    place(category, 8)
    with pytest.raises(orders.CheckoutError, match="2"):
        place(category, 3)
    assert Order.objects.count() == 5


@pytest.mark.django_db
def test_capacity_covers_every_category():
    event = EventFactory(capacity=3)
    first = CategoryFactory(event=event, quota=3)
    second = CategoryFactory(event=event, quota=3, name_fr="Balcon")
    place(first, 2)
    with pytest.raises(orders.CheckoutError):
        place(second, 2)
    place(second, 1)


@pytest.mark.django_db
def test_expired_orders_release_their_seats():
    category = CategoryFactory(quota=10)
    order = place(category, 10)
    with pytest.raises(orders.CheckoutError):
        place(category, 1)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert selectors.availability(category.event)[category.pk] == 10, (
            "free again as soon as the hold ends"
        )
        assert orders.expire_orders() == 1
        place(category, 1)
    order.refresh_from_db()
    assert order.status == Order.Status.EXPIRED
    assert set(order.tickets.values_list("status", flat=True)) == {Ticket.Status.VOID}


def test_a_late_payment_still_confirms_when_the_seats_are_free(client, category):
    order = place(category, 2)
    body = demobank.notification_body(bank_session(order))
    with time_machine.travel(timezone.now() + timedelta(minutes=20)):
        orders.expire_orders()
        assert notify(client, body, demobank.sign(body)).status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert set(order.tickets.values_list("status", flat=True)) == {Ticket.Status.VALID}


@pytest.mark.django_db
def test_a_late_payment_for_seats_sold_meanwhile_is_refunded(client, django_capture_on_commit_callbacks):
    category = CategoryFactory(quota=10)
    order = place(category, 10)
    body = demobank.notification_body(bank_session(order))
    with time_machine.travel(timezone.now() + timedelta(minutes=20)):
        orders.expire_orders()
        place(category, 10, email="someone@example.org")
        with django_capture_on_commit_callbacks(execute=True):
            assert notify(client, body, demobank.sign(body)).status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.EXPIRED
    refund = Refund.objects.get()
    assert refund.amount == order.total and refund.provider_reference.startswith("re_")
    assert OutboundMessage.objects.filter(
        recipient="buyer@example.org", idempotency_key__startswith="payment-refunded"
    ).exists()


def test_sales_must_be_open(category):
    event = category.event
    event.sales_end = timezone.now() - timedelta(minutes=1)
    event.save()
    with pytest.raises(orders.CheckoutError):
        place(category)


def test_a_pending_seller_cannot_sell(category):
    Organisation.objects.filter(pk=category.event.organisation_id).update(status="pending_verification")
    with pytest.raises(SellerNotActive):
        place(category)
    assert not Order.objects.exists()


def test_free_orders_skip_payment(category):
    category.price = Decimal("0.00")
    category.save()
    order = place(category, 2)
    assert order.status == Order.Status.PAID
    assert not Payment.objects.exists()
    assert order.commission_excl_vat == 0
    assert OutboundMessage.objects.filter(idempotency_key=f"order-tickets:{order.reference}").exists()


def test_refund_goes_through_the_provider_once(client, category):
    seller = seller_admin(category.event.organisation)
    order = place(category, 2)
    pay(client, order)
    order.refresh_from_db()
    refunds.refund_order(actor=seller, order=order, reason="Customer cannot come")
    with pytest.raises(ValidationError):
        refunds.refund_order(actor=seller, order=order, reason="again")
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED and order.refunded_amount == Decimal("50.00")
    assert Refund.objects.count() == 1
    assert set(order.tickets.values_list("status", flat=True)) == {Ticket.Status.REFUNDED}
    assert AuditEntry.objects.filter(action="order.refunded", actor=seller).exists()


def test_only_the_organisations_admins_can_refund(client, category):
    from django.core.exceptions import PermissionDenied

    outsider = seller_admin(CategoryFactory().event.organisation, username="other")
    order = place(category, 1)
    pay(client, order)
    with pytest.raises(PermissionDenied):
        refunds.refund_order(actor=outsider, order=Order.objects.get(pk=order.pk), reason="no")
    assert not Refund.objects.exists()


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_checkouts_for_the_last_five_seats_sell_exactly_five():
    category = CategoryFactory(quota=25, event__capacity=100)
    with transaction.atomic():
        for _ in range(2):  # orders hold 10 tickets at most
            place(category, 10, email="early@example.org")

    def checkout():
        try:
            return place(category, 1).reference
        except orders.CheckoutError:
            return None

    results = run_concurrently(checkout, 20)
    assert len([r for r in results if r]) == 5
    assert Ticket.objects.filter(category=category).count() == 25
    assert selectors.availability(category.event)[category.pk] == 0


@pytest.mark.django_db
def test_event_page_and_checkout_run_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    category = CategoryFactory(quota=50)
    CategoryFactory(event=category.event, quota=50, name_fr="Balcon")
    url = f"/fr/o/{category.event.organisation.slug}/{category.event.slug}/"
    for _ in range(3):
        place(category, 5)
    with django_assert_max_num_queries(4):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(10):
        place(category, 10)


class UnreachableBank(DemoProvider):
    def create_session(self, **session):
        raise ProviderUnavailable("connection refused")


def test_a_payment_that_cannot_start_keeps_the_order_and_is_audited(client, category, monkeypatch):
    monkeypatch.setitem(PROVIDERS, "demo", f"{__name__}.UnreachableBank")
    page = f"/en/o/{category.event.organisation.slug}/{category.event.slug}/checkout/"
    form = {"email": "a@example.org", "email_again": "a@example.org", "first_name_0": "A", "last_name_0": "B"}
    response = client.post(page, {f"q_{category.pk}": 1, **form}, follow=True)
    assert "The payment service does not answer just now" in response.content.decode()
    order = Order.objects.get()
    assert order.status == Order.Status.PENDING and not Payment.objects.exists()
    assert AuditEntry.objects.get(action="payment.start_failed").data["error"] == "connection refused"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "de", "en"])
def test_one_limit_on_tickets_per_order_offered_by_the_page_and_enforced_by_the_service(
    client, settings, language
):
    """The event page offers up to the limit; the URL may not ask for more (11, 999999): a message, no cap."""
    settings.MAX_TICKETS_PER_ORDER = 10  # the default
    category = CategoryFactory(quota=2000, event__capacity=2000)
    event = category.event
    page = client.get(f"/{language}/o/{event.organisation.slug}/{event.slug}/").content.decode()
    options = re.search(rf'<select id="q_{category.pk}".*?</select>', page, re.S).group(0)
    assert re.findall(r'<option value="(\d+)"', options) == [str(n) for n in range(11)]

    checkout = f"/{language}/o/{event.organisation.slug}/{event.slug}/checkout/"
    assert client.get(checkout, {f"q_{category.pk}": 10}).status_code == 200
    refused = {"fr": "10 billets maximum par commande.", "de": "Höchstens 10 Tickets pro Bestellung"}
    refused["en"] = "At most 10 tickets per order."
    for asked in (11, 999999):
        response = client.get(checkout, {f"q_{category.pk}": asked}, follow=True)
        assert response.redirect_chain[-1][0] == f"/{language}/o/{event.organisation.slug}/{event.slug}/"
        assert refused[language] in response.content.decode()
    with pytest.raises(ValidationError, match="10"):
        place(category, 11)
    settings.MAX_TICKETS_PER_ORDER = 4  # the same setting moves the page and the service
    page = client.get(f"/{language}/o/{event.organisation.slug}/{event.slug}/").content.decode()
    assert '<option value="4">' in page and '<option value="5">' not in page
    with pytest.raises(ValidationError):
        place(category, 5)
    assert Order.objects.count() == 0
