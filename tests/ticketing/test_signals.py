"""Domain events: each sent once by the service that causes it, after its transaction commits, never on
rollback, with ids and plain values a listener (the support desk) can use."""

from decimal import Decimal

import pytest
from django.db import connection, transaction

from ticketing import signals
from ticketing.models import Event, Order, Organisation
from ticketing.services import events, orders, refunds, sellers

from ..helpers import make_user
from .factories import CategoryFactory, OrganisationFactory, pay, seller_admin

pytestmark = pytest.mark.django_db(transaction=True)
SIGNALS = ("order_paid", "order_refunded", "event_cancelled", "seller_activated")


@pytest.fixture
def received():
    """What each signal's receiver got, and whether a transaction was open at that moment."""
    calls = []

    def receiver(signal, sender, **arguments):
        name = next(n for n in SIGNALS if getattr(signals, n) is signal)
        calls.append((name, sender, arguments, connection.in_atomic_block))

    for name in SIGNALS:
        getattr(signals, name).connect(receiver, weak=False, dispatch_uid=f"test-{name}")
    yield calls
    for name in SIGNALS:
        getattr(signals, name).disconnect(dispatch_uid=f"test-{name}")


def free_order(category):
    return orders.place_order(
        event_id=category.event_id,
        buyer_email="buyer@example.org",
        language="fr",
        seats=[orders.Seat(category.pk, "A", "B")],
    )


def paid_order(client):
    category = CategoryFactory(price=Decimal("30.00"))
    order = free_order(category)
    pay(client, order)
    return Order.objects.get(pk=order.pk)


def order_paid(client):
    category = CategoryFactory(price=Decimal("0.00"))
    return lambda: free_order(category)


def order_refunded(client):
    order = paid_order(client)
    seller = seller_admin(order.organisation)
    return lambda: refunds.refund_order(actor=seller, order=order, reason="Illness")


def event_cancelled(client):
    event = CategoryFactory().event
    seller = seller_admin(event.organisation)
    return lambda: events.cancel_event(actor=seller, event=event, reason="Storm")


def seller_activated(client):
    organisation = OrganisationFactory(status=Organisation.Status.PENDING_VERIFICATION)
    operator = make_user("olivia", "operator")
    return lambda: sellers.verify_by_call(
        actor=operator, organisation=Organisation.objects.get(pk=organisation.pk), note="Called Anne"
    )


class Boom(Exception):
    pass


@pytest.mark.parametrize("name", SIGNALS)
def test_each_event_is_sent_once_after_commit_and_never_on_rollback(client, received, name):
    action = globals()[name](client)
    received.clear()  # what the set-up sent
    with pytest.raises(Boom), transaction.atomic():
        action()
        assert received == [], "nothing before the commit"
        raise Boom
    assert received == [], "nothing when the transaction rolls back"

    action()
    assert [call[0] for call in received if call[0] == name] == [name]
    assert all(not in_transaction for *_, in_transaction in received), "receivers run after the commit"


def test_the_arguments_are_what_a_support_desk_needs(client, received):
    order = paid_order(client)
    ((_, sender, paid, _),) = received
    assert sender is Order
    assert paid == {
        "organisation_id": order.organisation_id,
        "event_id": order.event_id,
        "order_id": order.pk,
        "order_reference": order.reference,
        "buyer_email": "buyer@example.org",
        "currency": "EUR",
        "total": Decimal("30.00"),
        "tickets": 1,
        "paid_at": order.paid_at,
    }
    seller = seller_admin(order.organisation)
    events.cancel_event(actor=seller, event=order.event, reason="Storm")  # refunds its orders in a task
    cancelled = next(arguments for name, _, arguments, _ in received if name == "event_cancelled")
    assert cancelled["event_id"] == order.event_id and cancelled["paid_orders"] == 1
    assert cancelled["reason"] == "Storm" and cancelled["cancelled_at"] == Event.objects.get().cancelled_at
    refunded = next(arguments for name, _, arguments, _ in received if name == "order_refunded")
    assert refunded["order_reference"] == order.reference and refunded["amount"] == Decimal("30.00")
    assert refunded["reason"] == "Storm" and refunded["organisation_id"] == order.organisation_id
