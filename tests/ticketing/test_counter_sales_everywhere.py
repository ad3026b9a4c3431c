"""A counter sale is an ordinary sale everywhere a seller looks (P1): in the event's orders (marked as sold
at the box office), its listing, Scan-On-Air and the statement; seats a station only holds are in none."""

import io
import uuid
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from ticketing import listings, selectors
from ticketing.services import allotments, counter, settlements

from .factories import CategoryFactory, station_for

pytestmark = pytest.mark.django_db


def test_a_counter_sale_is_in_the_orders_the_listing_scan_on_air_and_the_statement():
    category = CategoryFactory(quota=20, price=Decimal("30.00"))
    event = category.event
    station, _raw, manager = station_for(event.organisation)
    held = allotments.issue_allotment(station=station, event_id=event.pk, category_id=category.pk, quantity=5)
    content = {
        "uuid": uuid.uuid4(),
        "event": event.pk,
        "sold_at": timezone.now(),
        "method": "cash",
        "lines": [{"category": category.pk, "quantity": 2}],
        "tickets": [ticket.secret for ticket in held[:2]],
        "buyer_name": "Muster",
    }
    (synced,) = counter.sync_sales(station=station, contents=[content])
    order = synced.sale.order

    client = Client()
    client.force_login(manager)
    page = client.get(f"/en/backoffice/events/{event.pk}/orders/").content.decode()
    assert order.reference in page and '<span class="badge">Box office</span>' in page
    assert "Held for a box-office station" in page  # the 3 seats the station still holds, not sold

    sheet = load_workbook(io.BytesIO(listings.xlsx(event))).active
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value]
    assert sum(held[0].number in cell or held[1].number in cell for cell in cells) == 2
    assert not any(ticket.number in cell for ticket in held[2:] for cell in cells)

    assert selectors.presence_counts(event)["sold"] == 2
    settlement = settlements.compute_settlement(event)
    assert settlement.gross_sales == Decimal("60.00") and settlement.tickets_sold == 2
    assert settlement.commission_excl_vat == order.commission_excl_vat > 0
