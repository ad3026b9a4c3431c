"""The box office's cash and corrections: cash sessions of a station, sales given back at the counter (a void
or a refund), and the Z report of a station's day, on screen and in Excel."""

import io
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from openpyxl import load_workbook

from hub.audit import AuditEntry
from hub.models import Role
from ticketing import box_office_selectors, exports, selectors, signals
from ticketing.models import CounterSale, Order, Ticket
from ticketing.services import box_office, counter

from .factories import CategoryFactory, member, seller_admin, station_for

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def english():
    """The services' messages are read in English here (French is the default language)."""
    with translation.override("en"):
        yield


@pytest.fixture
def category():
    return CategoryFactory(quota=10, event__capacity=12, price=Decimal("30.00"))


def sell(station, category, quantity=1, method="cash", sold_at=None) -> CounterSale:
    content = {
        "uuid": uuid.uuid4(),
        "event": category.event_id,
        "sold_at": sold_at or timezone.now(),
        "method": method,
        "lines": [{"category": category.pk, "quantity": quantity}],
        "card_reference": "TPE-42" if method == "card" else "",
        "reason": "the band's family" if method == "complimentary" else "",
        "authorised_by": counter.complimentary_grant(actor=station.created_by, station=station),
    }
    return counter.sync_sales(station=station, contents=[content])[0].sale


# --- cash sessions ------------------------------------------------------------------------------------


def test_staff_open_a_cash_session_and_closing_it_records_the_expected_cash_and_the_difference(category):
    station, _raw, _ = station_for(category.event.organisation)
    staff = member(category.event.organisation)
    session = box_office.open_cash_session(actor=staff, station=station, opening_float=Decimal("100.00"))
    assert session.opened_by == staff and session.closed_at is None
    sell(station, category, 2)  # 60.00 in the drawer
    sell(station, category, 1, method="card")  # not in the drawer
    box_office.close_cash_session(actor=staff, session=session, counted_cash=Decimal("155.00"), note="coins")
    session.refresh_from_db()
    assert (
        session.closed_by == staff and session.counted_cash == Decimal("155.00") and session.note == "coins"
    )
    closed = AuditEntry.objects.get(action="cash_session.closed")
    assert closed.data["expected"] == "160.00" and closed.data["difference"] == "-5.00"
    assert AuditEntry.objects.get(action="cash_session.opened").data["opening_float"] == "100.00"
    with pytest.raises(ValidationError, match="already closed"):
        box_office.close_cash_session(actor=staff, session=session, counted_cash=Decimal("155.00"))


def test_a_station_has_one_open_cash_session_and_bad_amounts_or_a_revoked_station_are_refused(category):
    station, _raw, manager = station_for(category.event.organisation)
    with pytest.raises(ValidationError) as refused:
        box_office.open_cash_session(actor=manager, station=station, opening_float=Decimal("-1"))
    assert "opening_float" in refused.value.message_dict
    session = box_office.open_cash_session(actor=manager, station=station, opening_float=Decimal("0"))
    with pytest.raises(ValidationError, match="already open"):
        box_office.open_cash_session(actor=manager, station=station, opening_float=Decimal("50"))
    with pytest.raises(ValidationError) as refused:
        box_office.close_cash_session(actor=manager, session=session, counted_cash=Decimal("-0.01"))
    assert "counted_cash" in refused.value.message_dict
    box_office.close_cash_session(actor=manager, session=session, counted_cash=Decimal("0"))
    counter.revoke_station(actor=manager, station=station)
    with pytest.raises(ValidationError, match="revoked"):
        box_office.open_cash_session(actor=manager, station=station, opening_float=Decimal("50"))
    assert station.cash_sessions.count() == 1


def test_only_box_office_staff_and_seller_admins_of_the_organisation_handle_its_cash(category, operator):
    organisation = category.event.organisation
    station, _raw, _ = station_for(organisation)
    for outsider in (
        member(organisation, Role.DOOR_STAFF),
        seller_admin(CategoryFactory().event.organisation, "x"),
    ):
        with pytest.raises(PermissionDenied):
            box_office.open_cash_session(actor=outsider, station=station, opening_float=Decimal("10"))
    session = box_office.open_cash_session(actor=operator, station=station, opening_float=Decimal("10"))
    with pytest.raises(PermissionDenied):
        box_office.close_cash_session(
            actor=member(organisation, Role.DOOR_STAFF), session=session, counted_cash=Decimal("10")
        )


# --- giving money back at the counter -----------------------------------------------------------------


def test_a_refund_puts_the_seats_back_on_sale_reverses_the_commission_and_is_announced(
    category, django_capture_on_commit_callbacks
):
    station, _raw, manager = station_for(category.event.organisation)
    sell(station, category, 8)
    sale = sell(station, category, 2)
    assert selectors.availability(category.event)[category.pk] == 0
    received = []
    signals.order_refunded.connect(lambda sender, **kw: received.append(kw), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            box_office.refund_counter_sale(actor=manager, sale=sale, note="wrong date")
    finally:
        signals.order_refunded.disconnect(dispatch_uid="t")
    sale.refresh_from_db()
    assert sale.status == CounterSale.Status.REFUNDED and sale.settled_by == manager and sale.settled_at
    assert sale.order.status == Order.Status.REFUNDED and sale.order.refunded_amount == Decimal("60.00")
    assert set(sale.order.tickets.values_list("status", flat=True)) == {Ticket.Status.REFUNDED}
    assert selectors.availability(category.event)[category.pk] == 2  # on sale again
    totals = selectors.event_sales(category.event).totals
    assert totals.sold == 8 and totals.refunded == Decimal("60.00")
    assert totals.commission == sum(
        t.commission_excl_vat + t.commission_vat for t in Ticket.objects.filter(status="valid")
    )
    assert received[0]["order_reference"] == sale.order.reference and received[0]["amount"] == Decimal(
        "60.00"
    )
    entry = AuditEntry.objects.get(action="counter_sale.refunded")
    assert entry.data["note"] == "wrong date" and entry.data["void"] is False
    with pytest.raises(ValidationError, match="already given back"):
        box_office.refund_counter_sale(actor=manager, sale=sale, note="again")


def test_giving_back_a_sale_of_the_open_session_is_a_void_and_a_free_order_is_cancelled(category):
    station, _raw, manager = station_for(category.event.organisation)
    earlier = sell(station, category, 1, method="complimentary", sold_at=timezone.now() - timedelta(hours=2))
    box_office.open_cash_session(actor=manager, station=station, opening_float=Decimal("50"))
    now = sell(station, category, 1)
    assert box_office_selectors.is_void(now, box_office_selectors.open_session(station))
    box_office.refund_counter_sale(actor=manager, sale=now, note="changed their mind")
    box_office.refund_counter_sale(actor=manager, sale=earlier, note="not needed")
    voids = {e.target_id: e.data["void"] for e in AuditEntry.objects.filter(action="counter_sale.refunded")}
    assert voids == {str(now.order_id): True, str(earlier.order_id): False}
    assert Order.objects.get(pk=earlier.order_id).status == Order.Status.CANCELLED


def test_only_managers_give_money_back_and_never_for_a_ticket_scanned_in_or_a_conflict(category):
    organisation = category.event.organisation
    station, _raw, manager = station_for(organisation)
    sale = sell(station, category, 2)
    with pytest.raises(PermissionDenied):
        box_office.refund_counter_sale(actor=member(organisation), sale=sale, note="please")
    with pytest.raises(ValidationError) as refused:
        box_office.refund_counter_sale(actor=manager, sale=sale, note="  ")
    assert "note" in refused.value.message_dict
    sale.order.tickets.filter(pk=sale.order.tickets.first().pk).update(
        first_entry_at=timezone.now(), presence="inside"
    )
    with pytest.raises(ValidationError, match="already scanned in"):
        box_office.refund_counter_sale(actor=manager, sale=sale, note="left early")
    sell(station, category, 8)
    conflict = sell(station, category, 5)
    assert conflict.status == CounterSale.Status.CONFLICT
    with pytest.raises(ValidationError, match="conflicts page"):
        box_office.refund_counter_sale(actor=manager, sale=conflict, note="full")
    assert not CounterSale.objects.filter(status=CounterSale.Status.REFUNDED).exists()


# --- the Z report -------------------------------------------------------------------------------------

DAY = date(2026, 12, 1)


def at(hour, minute=0, day=DAY):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def small_day(category):
    """Caisse 1's 1 December: a session from 9:00 (float 100) closed at 18:00 with 5.00 missing; cash 2 × 30
    and 1 × 30 (given back at 12:00), a card sale of 3, a complimentary one, a conflict, and noise around."""
    event = category.event
    event.starts_at, event.ends_at = at(20, day=date(2026, 12, 20)), at(23, day=date(2026, 12, 20))
    event.save()
    station, _raw, manager = station_for(category.event.organisation)
    other, _raw, _ = station_for(category.event.organisation, "Caisse 2")
    with time_machine.travel(at(8, 55, date(2026, 11, 30)), tick=False):
        sell(station, category, 1, method="card")  # the day before
    with time_machine.travel(at(9), tick=False):
        session = box_office.open_cash_session(
            actor=manager, station=station, opening_float=Decimal("100.00")
        )
    with time_machine.travel(at(11), tick=False):
        sell(station, category, 2)
        given_back = sell(station, category, 1)
        sell(station, category, 3, method="card")
        sell(station, category, 1, method="complimentary")
        sell(other, category, 1)  # another station
    with time_machine.travel(at(12), tick=False):
        box_office.refund_counter_sale(actor=manager, sale=given_back, note="wrong show")
    with time_machine.travel(at(17), tick=False):
        sell(station, category, 3)  # 11 seats taken of 10: a conflict, sold offline at 16:30
        CounterSale.objects.filter(status=CounterSale.Status.CONFLICT).update(sold_at=at(16, 30))
    with time_machine.travel(at(18), tick=False):
        box_office.close_cash_session(actor=manager, session=session, counted_cash=Decimal("155.00"))
    return station


def test_the_z_report_adds_up_a_small_day_and_flags_the_difference_and_the_conflict(
    small_day, django_assert_num_queries
):
    with django_assert_num_queries(2):
        report = box_office_selectors.z_report(small_day, DAY)
    figures = {line.method: (line.sales, line.tickets, line.amount) for line in report.methods}
    assert figures == {
        "cash": (2, 3, Decimal("90.00")),  # the sale given back counts among the sales, and the refunds
        "card": (1, 3, Decimal("90.00")),
        "complimentary": (1, 1, Decimal("0.00")),
    }
    assert (report.sales, report.tickets, report.amount) == (4, 7, Decimal("180.00"))
    assert (report.refunds, report.refunded, report.net) == (1, Decimal("30.00"), Decimal("150.00"))
    assert report.conflicts == 1
    (cash,) = report.sessions
    assert (cash.cash_sales, cash.cash_refunds, cash.expected) == (
        Decimal("90.00"),
        Decimal("30.00"),
        Decimal("160.00"),
    )
    assert cash.difference == Decimal("-5.00") and cash.flagged and report.flagged
    assert box_office_selectors.report_days(small_day) == [DAY, date(2026, 11, 30)]


def test_a_z_report_with_nothing_to_check_is_not_flagged_and_an_open_session_is(category):
    station, _raw, manager = station_for(category.event.organisation)
    session = box_office.open_cash_session(actor=manager, station=station, opening_float=Decimal("20"))
    sell(station, category, 1)
    today = timezone.localdate()
    report = box_office_selectors.z_report(station, today)
    assert report.flagged and report.sessions[0].difference is None
    box_office.close_cash_session(actor=manager, session=session, counted_cash=Decimal("50.00"))
    report = box_office_selectors.z_report(station, today)
    assert not report.flagged and report.sessions[0].difference == 0


def test_the_z_report_in_excel_reads_back_with_its_numbers_and_no_formula(small_day):
    session = small_day.cash_sessions.get()
    session.note = '=HYPERLINK("http://evil")'
    session.save()
    with translation.override("en"):
        content = exports.z_report_xlsx(box_office_selectors.z_report(small_day, DAY))
    workbook = load_workbook(io.BytesIO(content))
    sales, sessions = workbook.worksheets
    rows = list(sales.iter_rows(values_only=True))
    assert rows[0] == ("Payment method", "Sales", "Tickets", "Amount")
    assert rows[1] == ("Cash", 2, 3, 90) and rows[4] == ("Total", 4, 7, 180)
    assert rows[5] == ("Refunds", 1, None, -30) and rows[6] == ("Net", None, None, 150)
    assert rows[7] == ("Unsettled conflicts", 1, None, None)
    (row,) = list(sessions.iter_rows(min_row=2, values_only=True))
    assert row[0] == "2026-12-01 09:00" and row[3:9] == (100, 90, -30, 160, 155, -5)
    assert row[9] == "Check" and row[10] == '\'=HYPERLINK("http://evil")'
