"""A seller gives back one ticket of an order (T13): the provider refunds its price once, its seat goes back
on sale, its commission is not kept, the order's other tickets stay valid, and the last ticket refunds the
order."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from hub.models import OutboundMessage
from ticketing import selectors
from ticketing.models import Order, Payment, Refund, Ticket
from ticketing.services import orders, refunds
from ticketing.services.settlements import figures

from ..helpers import requires_postgres, run_concurrently
from .factories import CategoryFactory, member, pay, seller_admin
from .stripe_standin import REFUSED_INTENT, session_event
from .test_stripe import stripe_api, webhook  # noqa: F401 (stripe_api is a fixture)

pytestmark = pytest.mark.django_db


def paid_order(client, quantity=3, price="30.00", provider_pays=pay):
    category = CategoryFactory(price=Decimal(price), quota=10)
    order = orders.place_order(
        event_id=category.event_id,
        buyer_email="lena@example.org",
        language="en",
        seats=[orders.Seat(category.pk, name, "Weber") for name in ("Lena", "Max", "Ida")[:quantity]],
    )
    provider_pays(client, order)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    return order


def stripe_pays(client, order):
    session = orders.start_payment(order=order).rsplit("/", 1)[1]
    webhook(client, session_event("completed", session, amount=int(order.total * 100)))


def test_a_manager_refunds_one_ticket_from_the_order_page_and_the_rest_stays_valid(client):
    order = paid_order(client)
    event, first = order.event, order.tickets.order_by("number").first()
    left_before = selectors.availability(event)[first.category_id]
    client.force_login(seller_admin(order.organisation))
    page = client.get(f"/en/backoffice/orders/{order.reference}/").content.decode()
    assert "Refund €30.00" in page and "Cancel and refund €90.00" in page

    url = f"/en/backoffice/orders/{order.reference}/tickets/{first.number}/refund/"
    assert "Give a reason for the refund." in client.post(url, {"reason": ""}, follow=True).content.decode()
    assert Ticket.objects.get(pk=first.pk).status == Ticket.Status.VALID, "no reason, nothing changed"
    page = client.post(url, {"reason": "Max is ill"}, follow=True).content.decode()
    assert f"Ticket {first.number} is cancelled and €30.00 refunded." in page
    assert "Cancel and refund €60.00" in page, "what is left of the order"

    order.refresh_from_db()
    statuses = list(order.tickets.order_by("number").values_list("status", flat=True))
    assert statuses == ["refunded", "valid", "valid"] and order.status == Order.Status.PAID
    assert order.refunded_amount == Decimal("30.00")
    assert order.payments.get().status == Payment.Status.PAID
    assert selectors.availability(event)[first.category_id] == left_before + 1, "its seat is on sale again"
    sales = figures(event)
    assert sales["refunds"] == Decimal("30.00") and sales["tickets_sold"] == 2
    kept = sum(t.commission_excl_vat + t.commission_vat for t in order.tickets.filter(status="valid"))
    assert sales["commission_excl_vat"] + sales["commission_vat"] == kept, "no commission on the refunded one"
    email = OutboundMessage.objects.get(idempotency_key=f"ticket-refunded:{first.number}")
    assert email.recipient == "lena@example.org" and "€30.00 is refunded" in email.body
    assert "other tickets of your order stay valid" in email.body

    again = client.post(url, {"reason": "twice"}, follow=True).content.decode()
    assert "Only a valid ticket of a paid order can be refunded." in again
    assert Refund.objects.count() == 1


def test_with_stripe_a_ticket_then_the_rest_are_refunded_for_their_own_amounts_once(client, stripe_api):  # noqa: F811
    order = paid_order(client, provider_pays=stripe_pays)
    manager = seller_admin(order.organisation)
    first, *_ = order.tickets.order_by("number")
    refunds.refund_ticket(actor=manager, ticket=first, reason="Max is ill")
    refunds.refund_order(actor=manager, order=order, reason="the others cannot come either")
    assert [call["amount"] for call in stripe_api.refunds] == ["3000", "6000"]
    calls = [call for call in stripe_api.requests if call["path"] == "/v1/refunds"]
    assert len({call["headers"]["Idempotency-Key"] for call in calls}) == 2
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED and order.refunded_amount == Decimal("90.00")
    assert set(order.tickets.values_list("status", flat=True)) == {"refunded"}
    assert order.payments.get().status == Payment.Status.REFUNDED


def test_refunding_the_last_valid_ticket_refunds_the_order(client):
    order = paid_order(client, quantity=2)
    manager = seller_admin(order.organisation)
    for ticket in order.tickets.order_by("number"):
        refunds.refund_ticket(actor=manager, ticket=ticket, reason="both ill")
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED and order.refunded_amount == Decimal("60.00")
    assert order.payments.get().status == Payment.Status.REFUNDED
    assert OutboundMessage.objects.filter(idempotency_key=f"order-refunded:{order.reference}").count() == 1
    with pytest.raises(ValidationError):
        refunds.refund_order(actor=manager, order=order, reason="again")


def test_a_refusal_says_why_and_changes_nothing_and_only_managers_refund(client, stripe_api):  # noqa: F811
    order = paid_order(client, provider_pays=stripe_pays)
    ticket = order.tickets.first()
    with pytest.raises(PermissionDenied):
        refunds.refund_ticket(actor=member(order.organisation), ticket=ticket, reason="staff")
    Payment.objects.filter(order=order).update(transaction_id=REFUSED_INTENT)
    with translation.override("en"), pytest.raises(refunds.RefundRefused, match="already been refunded"):
        refunds.refund_ticket(actor=seller_admin(order.organisation), ticket=ticket, reason="ill")
    ticket.refresh_from_db()
    order.refresh_from_db()
    assert ticket.status == Ticket.Status.VALID and order.refunded_amount == 0
    assert Refund.objects.get().status == Refund.Status.FAILED


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_managers_refunding_the_same_ticket_at_once_refund_it_once(client, stripe_api):  # noqa: F811
    order = paid_order(client, provider_pays=stripe_pays)
    ticket = order.tickets.order_by("number").first()
    managers = [seller_admin(order.organisation, name) for name in ("ana", "ben")]
    stripe_api.refund_delay = 0.5  # the second arrives while the first is asking Stripe
    outcomes = run_concurrently(
        lambda: _try(lambda: refunds.refund_ticket(actor=managers.pop(), ticket=ticket, reason="ill")), 2
    )
    assert sorted(outcomes) == ["RefundInProgress", "ok"]
    assert [call["amount"] for call in stripe_api.refunds] == ["3000"]
    with pytest.raises(ValidationError):  # asked again once the first is done: nothing more
        refunds.refund_ticket(actor=seller_admin(order.organisation, "cleo"), ticket=ticket, reason="ill")
    order.refresh_from_db()
    assert order.refunded_amount == Decimal("30.00") and len(stripe_api.refunds) == 1

    second = order.tickets.order_by("number")[1]
    dan, eve = (seller_admin(order.organisation, name) for name in ("dan", "eve"))
    calls = [
        lambda: refunds.refund_ticket(actor=dan, ticket=second, reason="ill"),
        lambda: refunds.refund_order(actor=eve, order=order, reason="all"),
    ]
    outcomes = run_concurrently(lambda: _try(calls.pop()), 2)
    assert sorted(outcomes) == ["RefundInProgress", "ok"], "a ticket and the order are never refunded at once"
    order.refresh_from_db()
    given = sum(Decimal(call["amount"]) / 100 for call in stripe_api.refunds)
    assert given == order.refunded_amount <= order.total


def _try(call) -> str:
    try:
        call()
    except ValidationError as error:
        return type(error).__name__
    return "ok"


def test_a_free_ticket_is_cancelled_without_asking_the_bank(client):
    category = CategoryFactory(price=Decimal("0.00"), quota=10)
    order = orders.place_order(
        event_id=category.event_id,
        buyer_email="lena@example.org",
        language="en",
        seats=[orders.Seat(category.pk, name, "Weber") for name in ("Lena", "Max")],
    )
    order.refresh_from_db()
    assert order.status == Order.Status.PAID, "a free order is paid at once"
    ticket = order.tickets.order_by("number").first()
    refunds.refund_ticket(actor=seller_admin(order.organisation), ticket=ticket, reason="cannot come")
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.REFUNDED and not Refund.objects.exists()
    email = OutboundMessage.objects.get(idempotency_key=f"ticket-refunded:{ticket.number}")
    assert f"Ticket {ticket.number} (Lena Weber)" in email.body and "card" not in email.body
