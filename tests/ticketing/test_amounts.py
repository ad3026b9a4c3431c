"""Every amount a reader gets (flash messages, emails, listings, exports) is written the way their language
writes it, by one formatter: 1 250,00 € in French, 1.250,00 € in German, €1,250.00 in English."""

import io
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.utils import translation
from openpyxl import load_workbook

from hub.models import OutboundMessage
from ticketing.formatting import amount_number_format, format_amount
from ticketing.models import Order
from ticketing.services import orders

from .factories import CategoryFactory, pay, seller_admin

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
WRITTEN = {"fr": f"1{NBSP}250,00{NBSP}€", "de": f"1.250,00{NBSP}€", "en": "€1,250.00"}
ELSEWHERE = {"fr": ["1250.00", "1,250.00", "1.250,00", "€1"], "de": ["1250.00", "1,250.00", "1 250,00", "€1"]}
ELSEWHERE["en"] = ["1250.00", "1.250,00", "1 250,00", "250,00"]


def test_one_formatter_writes_each_language_its_own_way():
    for language, written in WRITTEN.items():
        assert format_amount(Decimal("1250"), language=language) == written
        with translation.override(language):
            assert format_amount("1250.004") == written
    assert format_amount(Decimal("-3.5"), language="fr") == f"-3,50{NBSP}€"
    assert format_amount(Decimal("-3.5"), language="en") == "-€3.50"
    assert format_amount(None) == "" and format_amount("") == ""


def assert_written_for(language, text):
    assert WRITTEN[language] in text, text
    for other in ELSEWHERE[language]:
        assert other not in text.replace(WRITTEN[language], ""), (other, text)


@pytest.mark.parametrize("language", ["fr", "de", "en"])
def test_the_refund_message_and_the_emails_write_amounts_in_the_readers_language(client, language):
    category = CategoryFactory(price=Decimal("625.00"))
    order = orders.place_order(
        event_id=category.event_id,
        buyer_email="zoe@example.org",
        language=language,
        seats=[orders.Seat(category.pk, "Zoé", "Martin"), orders.Seat(category.pk, "Léo", "Martin")],
    )
    pay(client, order)
    client.force_login(seller_admin(category.event.organisation))

    response = client.post(f"/{language}/backoffice/orders/{order.reference}/refund/", {"reason": "Illness"})
    assert Order.objects.get().status == "refunded"
    [flash] = [str(m) for m in get_messages(response.wsgi_request)]
    assert_written_for(language, flash)

    tickets = OutboundMessage.objects.get(idempotency_key=f"order-tickets:{order.reference}")
    refunded = OutboundMessage.objects.get(idempotency_key=f"order-refunded:{order.reference}")
    for text in (tickets.body, tickets.html, refunded.body):
        assert_written_for(language, text)

    page = client.get(f"/{language}/backoffice/orders/{order.reference}/").content.decode()
    assert_written_for(language, page)


def test_listing_prices_are_numbers_shown_in_the_readers_format(client):
    category = CategoryFactory(price=Decimal("1250.00"))
    order = orders.place_order(
        event_id=category.event_id,
        buyer_email="zoe@example.org",
        language="fr",
        seats=[orders.Seat(category.pk, "Zoé", "Martin")],
    )
    pay(client, order)
    client.force_login(seller_admin(category.event.organisation))
    xlsx = client.get(f"/de/backoffice/events/{category.event_id}/listing.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    price = sheet.cell(row=2, column=7)
    assert price.value == 1250 and price.number_format == amount_number_format("EUR")
    html = client.get(f"/de/backoffice/events/{category.event_id}/listing.html").content.decode()
    assert_written_for("de", html)
