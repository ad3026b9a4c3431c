import io
from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from openpyxl import load_workbook

from hub.models import AuditEntry
from ticketing.models import Settlement
from ticketing.services import orders, settlements

from .factories import CategoryFactory, seller_admin

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def ended_event(db):
    start = timezone.now() - timedelta(days=30)
    with time_machine.travel(start):
        category = CategoryFactory(
            price=Decimal("50.00"),
            event__starts_at=start + timedelta(days=10),
            event__ends_at=datetime_at(2026, 11, 20, 23, 30),
            event__sales_start=start - timedelta(days=1),
            event__sales_end=start + timedelta(days=10),
        )
        for _ in range(3):
            order = orders.place_order(
                event_id=category.event_id,
                buyer_email="a@b.fr",
                language="fr",
                seats=[orders.Seat(category.pk, "A", "B"), orders.Seat(category.pk, "C", "D")],
            )
            orders.confirm_paid(order, timezone.now())
    return category.event


def datetime_at(*args):
    from datetime import datetime

    return datetime(*args, tzinfo=PARIS)


def test_statement_of_an_ended_event(ended_event, operator):
    seller = seller_admin(ended_event.organisation)
    refunded = ended_event.orders.first()
    refunded.status = "refunded"
    refunded.refunded_amount = Decimal("100.00")
    refunded.save()
    refunded.tickets.update(status="refunded")

    assert settlements.compute_due_settlements() == 1
    statement = Settlement.objects.get()
    assert statement.gross_sales == Decimal("300.00")
    assert statement.refunds == Decimal("100.00")
    assert statement.tickets_sold == 4
    assert statement.commission_excl_vat == Decimal("4.52")  # 4 × 1.13
    assert statement.commission_vat == Decimal("0.92")  # 4 × 0.23
    assert statement.net_payout == Decimal("194.56")
    assert statement.due_date == date(2026, 12, 5), "15 days after the end, in the event's time zone"

    settlements.approve_settlement(actor=operator, settlement=statement)
    settlements.mark_settlement_paid(actor=operator, settlement=statement, reference="VIR-2026-1205")
    statement.refresh_from_db()
    assert statement.status == "paid"
    assert [
        e.action for e in AuditEntry.objects.filter(target_type="ticketing.settlement").order_by("id")
    ] == ["settlement.computed", "settlement.approved", "settlement.paid"]
    with pytest.raises(PermissionDenied):
        settlements.approve_settlement(actor=seller, settlement=statement)


def test_payouts_page_and_excel_export(client, ended_event, operator):
    settlements.compute_due_settlements()
    client.force_login(operator)
    with time_machine.travel(datetime_at(2026, 12, 1, 9, 0)):
        html = client.get("/fr/backoffice/payouts/").content.decode()
        response = client.get("/fr/backoffice/payouts/export.xlsx")
    assert ended_event.title_fr in html
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    soon = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert soon[1][3] == ended_event.title_fr and soon[1][9] == 291.84  # 300 − 6 × 1.36
    assert list(workbook.worksheets[0].iter_rows(values_only=True))[1:] == [], "nothing overdue on 1 December"


def test_the_export_after_mark_paid_lists_the_paid_payout(client, ended_event, operator):
    """Approve, mark paid, export: the payout is on the "Recently paid" sheet, as on the page."""
    settlements.compute_due_settlements()
    client.force_login(operator)
    statement = Settlement.objects.get()
    with time_machine.travel(datetime_at(2026, 12, 1, 9, 0)):
        client.post(f"/fr/backoffice/payouts/{statement.pk}/approve/")
        client.post(f"/fr/backoffice/payouts/{statement.pk}/paid/", {"reference": "VIR-2026-1201"})
        html = client.get("/en/backoffice/payouts/").content.decode()
        response = client.get("/en/backoffice/payouts/export.xlsx")
    assert Settlement.objects.get().status == "paid" and "VIR-2026-1201" in html
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Overdue", "Due within 7 days", "Later", "Recently paid"]
    for open_sheet in workbook.worksheets[:3]:
        assert [row for row in open_sheet.iter_rows(min_row=2, values_only=True)] == []
    paid = workbook.worksheets[3]
    header = [cell.value for cell in paid[1]]
    row = {name: cell for name, cell in zip(header, paid[2], strict=True)}
    assert row["Event"].value == ended_event.title_fr
    assert row["Account ID"].value == ended_event.organisation.account_id  # C2: statements carry it
    assert row["Bank reference"].value == "VIR-2026-1201"
    assert row["Net payout"].value == 291.84 and row["Net payout"].number_format.startswith("#,##0.00")
    assert row["Paid on"].value.date() == date(2026, 12, 1)
