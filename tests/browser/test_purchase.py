"""A buyer gets two tickets end to end: event page → checkout → demo bank → confirmation → email with QR
codes → customer space. Celery runs eagerly, so the bank's notification is a real HTTP POST to the live
server, as a bank's would be."""

import io
import re

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from hub.models import OutboundMessage
from ticketing.models import Order

from ..ticketing.factories import CategoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def event(settings, live_server):
    settings.SITE_URL = live_server.url
    category = CategoryFactory(
        price="25.00", quota=50, event__title_fr="Nuit du Jazz", event__slug="nuit-du-jazz"
    )
    CategoryFactory(event=category.event, name_fr="Carré Or", price="55.00", quota=10, position=2)
    return category.event


def test_buy_two_tickets_end_to_end(page, live_server, event, screenshot):
    page.goto(f"{live_server.url}/fr/o/{event.organisation.slug}/{event.slug}/")
    expect(page.get_by_role("heading", name="Nuit du Jazz")).to_be_visible()
    first, second = event.categories.order_by("position")
    page.select_option(f"#q_{first.pk}", "1")
    page.select_option(f"#q_{second.pk}", "1")
    screenshot(page, "event")
    page.locator("#tickets button[type=submit]").click()

    page.fill("#id_email", "alice@example.org")
    page.fill("#id_email_again", "alice@example.org")
    page.fill("#id_first_name_0", "Alice")
    page.fill("#id_last_name_0", "Durand")
    page.fill("#id_first_name_1", "Bruno")
    page.fill("#id_last_name_1", "Durand")
    screenshot(page, "checkout")
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/demobank/pay/"))
    expect(page.locator(".amount")).to_have_text("80,00\xa0€")
    page.fill("#id_holder", "Alice Durand")
    page.fill("#id_number", "4000 0000 0000 0002")
    page.fill("#id_expiry", "12/30")
    page.fill("#id_cvc", "123")
    page.locator("button[name=pay]").click()
    expect(page.locator(".declined")).to_be_visible()  # a declined card charges nothing
    assert Order.objects.get().status == "pending"
    page.fill("#id_number", "4242 4242 4242 4242")
    page.fill("#id_expiry", "12/30")
    page.fill("#id_cvc", "123")
    screenshot(page, "bank")
    page.locator("button[name=pay]").click()

    expect(page).to_have_url(re.compile(r"/fr/orders/"))
    tickets = page.locator("#order-card a[href^='/t/']")
    expect(tickets).to_have_count(2, timeout=15000)
    screenshot(page, "confirmation")
    order = Order.objects.get()
    assert order.status == "paid"

    email = OutboundMessage.objects.get(idempotency_key=f"order-tickets:{order.reference}")
    assert email.status == "sent"
    decoded = sorted(
        zxingcpp.read_barcodes(Image.open(io.BytesIO(bytes(attachment.content))))[0].text
        for attachment in email.attachments.all()
    )
    assert decoded == sorted(f"{live_server.url}/t/{t.secret}/" for t in order.tickets.all())

    tickets.first.click()
    expect(page.locator(".eticket img")).to_be_visible()
    screenshot(page, "ticket")

    page.goto(f"{live_server.url}/fr/my-tickets/")
    page.fill("#id_email", "alice@example.org")
    page.locator("main form button[type=submit]").click()
    link = OutboundMessage.objects.get(idempotency_key__startswith="customer-link:")
    page.goto(re.search(r"https?://\S+/my-tickets/sign-in/\S+/", link.body).group(0))
    for ticket in order.tickets.all():
        expect(page.locator(f"a[href='/t/{ticket.secret}/']")).to_be_visible()
    screenshot(page, "customer-space")
