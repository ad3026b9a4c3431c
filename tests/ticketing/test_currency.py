"""Each seller space sells in its own currency (EUR, CHF or GBP): its prices, orders, payments at Stripe,
counter sales, listings, Z reports and statements are all in it, written as its readers write them, and it
is fixed once the space has an order."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from openpyxl import load_workbook

from hub.audit import AuditEntry
from hub.models import OutboundMessage
from ticketing.formatting import amount_number_format, format_amount
from ticketing.models import Order, Organisation, Settlement
from ticketing.services import orders, sellers, settlements

from .factories import CategoryFactory, seller_admin, station_for
from .stripe_standin import session_event
from .test_box_office import sell
from .test_sellers import SIGNUP, sign_up
from .test_stripe import stripe_api, webhook  # noqa: F401 (stripe_api is a fixture)

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


def test_amounts_in_francs_and_pounds_are_written_as_each_language_writes_them():
    assert format_amount(Decimal("1250.5"), "CHF", language="fr") == f"1{NBSP}250,50{NBSP}CHF"
    assert format_amount(Decimal("1250.5"), "CHF", language="de") == f"1.250,50{NBSP}CHF"
    assert format_amount(Decimal("1250.5"), "CHF", language="en") == f"CHF{NBSP}1,250.50"
    assert format_amount(Decimal("-3"), "GBP", language="en") == "-£3.00"
    assert format_amount(Decimal("3"), "GBP", language="fr") == f"3,00{NBSP}£"
    assert amount_number_format("GBP") == '#,##0.00\\ "£";-#,##0.00\\ "£"'


def test_sign_up_takes_the_countrys_currency_unless_another_is_chosen(client):
    sign_up(client)  # a Swiss theatre
    assert Organisation.objects.get().currency == "CHF"
    client.logout()
    sign_up(client, {**SIGNUP, "contact_email": "box@globe.example", "currency": "EUR"})
    assert Organisation.objects.get(contact_email="box@globe.example").currency == "EUR"
    page = client.get("/en/sell/").content.decode()
    assert "Swiss franc (CHF)" in page and "Pound sterling (£)" in page


def test_an_order_in_francs_is_sent_to_stripe_in_francs_and_paid_only_in_francs(client, stripe_api):  # noqa: F811
    category = CategoryFactory(price=Decimal("45.00"), event__organisation__currency="CHF")
    page = client.get(f"/en/o/{category.event.organisation.slug}/{category.event.slug}/").content.decode()
    assert f"CHF{NBSP}45.00" in page and "€45" not in page
    order = orders.place_order(
        event_id=category.event_id,
        buyer_email="lena@example.ch",
        language="de",
        seats=[orders.Seat(category.pk, "Lena", "Weber")] * 2,
    )
    assert order.currency == "CHF"
    session = orders.start_payment(order=order).rsplit("/", 1)[1]
    (call,) = stripe_api.requests
    assert call["fields"]["line_items[0][price_data][currency]"] == "chf"
    assert call["fields"]["line_items[0][price_data][unit_amount]"] == "9000"

    in_euros = session_event("completed", session, amount=9000, currency="eur")
    assert webhook(client, in_euros).status_code == 400
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING, "9,000 euro cents are not 90 francs"
    in_francs = session_event("completed", session, amount=9000, currency="chf")
    assert webhook(client, in_francs).status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    email = OutboundMessage.objects.get(idempotency_key=f"order-tickets:{order.reference}")
    assert f"90,00{NBSP}CHF" in email.body


def test_counter_sales_listings_and_z_reports_of_a_space_in_pounds_are_in_pounds(client):
    category = CategoryFactory(price=Decimal("12.50"), quota=10, event__organisation__currency="GBP")
    organisation = category.event.organisation
    station, _raw, manager = station_for(organisation)
    with translation.override("en"):
        sale = sell(station, category, 2)
    assert sale.order.currency == "GBP" and sale.order.total == Decimal("25.00")

    client.force_login(manager)
    listing = client.get(f"/en/backoffice/events/{category.event_id}/listing.xlsx")
    price = load_workbook(io.BytesIO(listing.content)).active.cell(row=2, column=7)
    assert price.value == 12.5 and price.number_format == amount_number_format("GBP")
    day = timezone.localdate()
    z_page = client.get(f"/en/backoffice/box-office/stations/{station.pk}/z/{day}/").content.decode()
    assert "£25.00" in z_page and "€25" not in z_page
    z_sheet = client.get(f"/en/backoffice/box-office/stations/{station.pk}/z/{day}.xlsx")
    sales = load_workbook(io.BytesIO(z_sheet.content))["Sales"]
    assert sales.cell(row=2, column=4).number_format == amount_number_format("GBP")


def test_statements_keep_their_currency_and_the_payouts_export_names_it(client, operator):
    start = timezone.now() - timedelta(days=30)
    with time_machine.travel(start):
        francs = CategoryFactory(
            price=Decimal("40.00"),
            event__organisation__currency="CHF",
            event__starts_at=start + timedelta(days=5),
            event__sales_end=start + timedelta(days=5),
        )
        euros = CategoryFactory(price=Decimal("40.00"), event__starts_at=start + timedelta(days=5))
        for category in (francs, euros):
            order = orders.place_order(
                event_id=category.event_id,
                buyer_email="a@example.org",
                language="fr",
                seats=[orders.Seat(category.pk, "A", "B")],
            )
            orders.confirm_paid(order, timezone.now())
    settlements.compute_due_settlements()
    assert Settlement.objects.get(event=francs.event).currency == "CHF"
    assert Settlement.objects.get(event=euros.event).currency == "EUR"

    client.force_login(operator)
    page = client.get("/en/backoffice/payouts/").content.decode()
    assert f"CHF{NBSP}40.00" in page and "€40.00" in page
    workbook = load_workbook(io.BytesIO(client.get("/en/backoffice/payouts/export.xlsx").content))
    rows = [row for sheet in workbook.worksheets for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted((row[3], row[13]) for row in rows) == sorted(
        [(francs.event.title_fr, "CHF"), (euros.event.title_fr, "EUR")]
    )


def test_an_operator_changes_the_currency_until_the_first_order_and_never_after(client, operator):
    category = CategoryFactory()
    organisation = category.event.organisation
    with pytest.raises(PermissionDenied):
        sellers.set_currency(actor=seller_admin(organisation), organisation=organisation, currency="CHF")
    client.force_login(operator)
    url = f"/en/backoffice/sellers/{organisation.pk}/currency/"
    refused = client.post(url, {"currency": "USD"}, follow=True).content.decode()
    assert "Choose one of the currencies offered." in refused
    client.post(url, {"currency": "CHF"})
    organisation.refresh_from_db()
    assert organisation.currency == "CHF"
    entry = AuditEntry.objects.get(action="seller.currency_changed")
    assert entry.data == {"before": "EUR", "after": "CHF"}

    orders.place_order(
        event_id=category.event_id,
        buyer_email="a@example.org",
        language="fr",
        seats=[orders.Seat(category.pk, "A", "B")],
    )
    page = client.post(url, {"currency": "GBP"}, follow=True).content.decode()
    assert "its currency can no longer change" in page
    organisation.refresh_from_db()
    assert organisation.currency == "CHF" and Order.objects.get().currency == "CHF"
    with pytest.raises(ValidationError):
        sellers.set_currency(actor=operator, organisation=organisation, currency="EUR")
