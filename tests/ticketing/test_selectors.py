"""What ticketing offers other apps to read (``ticketing.selectors``), and the figures it computes once."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from hub.models import Role
from ticketing import selectors
from ticketing.commission import quote
from ticketing.models import Ticket
from ticketing.services import orders, settlements

from ..helpers import make_user
from .factories import CategoryFactory, EventFactory, OrganisationFactory, seller_admin

pytestmark = pytest.mark.django_db


def order(category, count, *, paid=True):
    placed = orders.place_order(
        event_id=category.event_id,
        buyer_email="buyer@example.org",
        language="fr",
        seats=[orders.Seat(category.pk, "A", f"B{i}") for i in range(count)],
    )
    if paid:
        orders.confirm_paid(placed, timezone.now(), send_tickets=False)
    return placed


def test_sales_held_seats_and_statements_come_from_one_definition():
    event = EventFactory(capacity=12)
    stalls = CategoryFactory(event=event, quota=10, price=Decimal("30.00"))
    balcony = CategoryFactory(event=event, quota=10, price=Decimal("20.00"), name_fr="Balcon")
    order(stalls, 3)
    order(balcony, 1)
    refunded = order(stalls, 2)
    refunded.tickets.update(status=Ticket.Status.REFUNDED)
    order(stalls, 2, paid=False)  # held while its payment is awaited
    expired = order(balcony, 1, paid=False)
    expired.tickets.update(status=Ticket.Status.VOID)

    sales = selectors.event_sales(event)
    by_category = {row.category: row for row in sales.rows}
    assert (by_category[stalls].sold, by_category[stalls].held, by_category[stalls].left) == (3, 2, 5)
    assert (by_category[balcony].sold, by_category[balcony].held, by_category[balcony].left) == (1, 0, 6)
    assert sales.totals.left == 6, "the capacity (12) binds before the quotas (10 + 10)"
    assert selectors.availability(event) == {stalls.pk: 5, balcony.pk: 6}, "what buyers are offered"
    assert sales.totals.revenue == Decimal("110.00") and sales.totals.refunded == Decimal("60.00")
    commission = 3 * quote(Decimal("30.00")).commission_incl_vat + quote(Decimal("20.00")).commission_incl_vat
    assert sales.totals.commission == commission, "refunded tickets keep no commission"
    assert sales.totals.net == Decimal("110.00") - commission

    figures = settlements.figures(event)
    assert figures == {
        "gross_sales": sales.totals.gross,
        "refunds": sales.totals.refunded,
        "commission_excl_vat": sales.totals.commission_excl_vat,
        "commission_vat": sales.totals.commission_vat,
        "net_payout": sales.totals.net,
        "tickets_sold": sales.totals.sold,
        "currency": "EUR",
    }
    assert selectors.organisation_events(event.organisation).get().sold == 4


def test_what_a_support_desk_reads_of_an_organisation():
    paris = ZoneInfo("Europe/Paris")
    organisation = OrganisationFactory()

    def at(day, hour, minute=0):
        return datetime(2027, 3, day, hour, minute, tzinfo=paris)

    with time_machine.travel(at(12, 9)):
        matinee = EventFactory(organisation=organisation, starts_at=at(12, 15), ends_at=at(12, 17))
        night = EventFactory(organisation=organisation, starts_at=at(12, 23), ends_at=at(13, 2, 30))
        EventFactory(organisation=organisation, starts_at=at(12, 20), ends_at=at(12, 22), status="draft")
        cancelled = EventFactory(
            organisation=organisation, starts_at=at(12, 20), ends_at=at(12, 22), status="cancelled"
        )
        EventFactory(starts_at=at(12, 20), ends_at=at(12, 22))  # another organisation's
        assert list(selectors.events_of_the_day(organisation.pk)) == [matinee, cancelled, night]
    assert list(selectors.events_of_the_day(organisation, date(2027, 3, 13))) == [night], "still running"

    placed = order(CategoryFactory(event=EventFactory(organisation=organisation)), 1)
    assert selectors.order_by_reference(organisation.pk, f" {placed.reference.lower()} ") == placed
    assert selectors.order_by_reference(OrganisationFactory().pk, placed.reference) is None, "not theirs"

    admin = seller_admin(organisation)
    door = make_user("dora", Role.DOOR_STAFF)
    organisation.memberships.create(user=door, role=Role.DOOR_STAFF)
    assert [m.user for m in selectors.members(organisation.pk, Role.SELLER_ADMIN)] == [admin]
    assert {m.user for m in selectors.members(organisation)} == {admin, door}
