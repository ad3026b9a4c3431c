"""The demo bank pays only in a demo: outside one its page is gone and its notifications change nothing."""

from decimal import Decimal

import pytest

from ticketing.models import Order
from ticketing.payments import PaymentError, demobank, get_provider
from ticketing.services import orders

from .factories import CategoryFactory, bank_session, notify


@pytest.fixture
def order(db):
    category = CategoryFactory(price=Decimal("25.00"), quota=10)
    return orders.place_order(
        event_id=category.event_id,
        buyer_email="buyer@example.org",
        language="fr",
        seats=[orders.Seat(category.pk, "Prénom", "Nom")],
    )


def test_the_demo_bank_page_answers_in_a_demo(client, order):
    url = orders.start_payment(order=order)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "provider, demo", [("", False), ("demo", False), ("", True)], ids=["unset", "demo-refused", "other"]
)
def test_the_demo_bank_page_is_not_found_unless_the_demo_bank_pays(client, settings, order, provider, demo):
    url = orders.start_payment(order=order)
    settings.PAYMENT_PROVIDER, settings.DEMO = provider, demo
    assert client.get(url).status_code == 404
    assert client.post(url, {"holder": "A", "number": "4242424242424242"}).status_code == 404


def test_the_demo_bank_is_refused_outside_a_demo(settings):
    settings.DEBUG = settings.DEMO = False
    with pytest.raises(PaymentError, match="DEMO=1"):
        get_provider("demo")
    with pytest.raises(PaymentError):
        get_provider()


def test_a_signed_demo_notification_pays_nothing_outside_a_demo(client, settings, order):
    body = demobank.notification_body(bank_session(order))
    settings.DEMO = False
    assert notify(client, body, demobank.sign(body)).status_code == 400
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING
