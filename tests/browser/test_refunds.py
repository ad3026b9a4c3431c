"""A seller admin of a space selling in Swiss francs refunds one ticket of an order from its page: asked to
confirm, told what was given back, and the page shows what is left to refund."""

from decimal import Decimal

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.ticketing.factories import CategoryFactory, pay, seller_admin
from ticketing.models import Order, Ticket
from ticketing.services import orders

from .test_backoffice import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NBSP = "\u00a0"


def test_a_seller_refunds_one_ticket_of_an_order_in_francs(page, live_server, screenshot):
    category = CategoryFactory(price=Decimal("45.00"), event__organisation__currency="CHF")
    order = orders.place_order(
        event_id=category.event_id,
        buyer_email="lena@example.ch",
        language="de",
        seats=[orders.Seat(category.pk, "Lena", "Weber"), orders.Seat(category.pk, "Max", "Weber")],
    )
    pay(Client(), order)  # on the demo bank
    seller_admin(category.event.organisation, "sophie")
    first = order.tickets.order_by("number").first()

    sign_in(page, live_server, "sophie")
    page.goto(f"{live_server.url}/en/backoffice/orders/{order.reference}/")
    expect(page.get_by_role("button", name=f"Cancel and refund CHF{NBSP}90.00")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=first.number)
    row.get_by_placeholder("Reason").fill("Max is ill")
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name=f"Refund CHF{NBSP}45.00").click()

    done = f"Ticket {first.number} is cancelled and CHF{NBSP}45.00 refunded."
    expect(page.get_by_text(done)).to_be_visible()
    expect(page.get_by_role("button", name=f"Cancel and refund CHF{NBSP}45.00")).to_be_visible()
    screenshot(page, "order-after-ticket-refund")
    assert Ticket.objects.get(pk=first.pk).status == Ticket.Status.REFUNDED
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID
