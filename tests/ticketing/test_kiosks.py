"""Kiosk mode (P5): a kiosk pairs with a device by a one-time code, sells only its organisation's events from
the online inventory, and an order to pay at the counter is completed by a box-office station through the
POS API: paid once (idempotent, even with two stations at once), tickets valid and emailed, Z report."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone, translation

from hub.audit import AuditEntry
from hub.models import OutboundMessage, Role
from ticketing import box_office_selectors
from ticketing.models import CounterSale, Order, Station, Ticket
from ticketing.services import kiosks, orders

from ..helpers import requires_postgres, run_concurrently
from .factories import CategoryFactory, EventFactory, member, seller_admin, station_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def category():
    return CategoryFactory(quota=10, event__capacity=12, price=Decimal("30.00"))


@pytest.fixture
def kiosk(category):
    manager = seller_admin(category.event.organisation, username="kim")
    return kiosks.create_kiosk(actor=manager, organisation=category.event.organisation, name="Hall")


def paired(kiosk) -> Station:
    code = kiosks.issue_pairing_code(actor=kiosk.created_by, kiosk=kiosk)
    return kiosks.pair_kiosk(code=code)[0]


def counter_order(kiosk, category, quantity=2, **changes) -> Order:
    arguments = {
        "kiosk": kiosk,
        "event_id": category.event_id,
        "quantities": {category.pk: quantity},
        "buyer_email": "lena@example.org",
        "buyer_name": "Lena Weber",
        "language": "de",
        "at_counter": True,
    }
    return kiosks.place_kiosk_order(**{**arguments, **changes})


def payment(**changes) -> dict:
    body = {"uuid": str(uuid.uuid4()), "method": "cash", "cash_tendered": "100.00", "language": "en"}
    return {**body, "sold_at": timezone.now().isoformat(), **changes}


def api(raw, path, body=None, client=None):
    client, headers = client or Client(), {"authorization": f"Bearer {raw}"}
    url = f"/api/v1/pos/orders/{path}"
    if body is None:
        return client.get(url, headers=headers)
    return client.post(url, body, content_type="application/json", headers=headers)


# --- pairing ----------------------------------------------------------------------------------------------


def test_a_pairing_code_pairs_one_device_once_and_only_its_hmac_is_kept(kiosk):
    code = kiosks.issue_pairing_code(actor=kiosk.created_by, kiosk=kiosk)
    assert len(code) == 8 and not set(code) & set("01IO")
    kiosk.refresh_from_db()
    assert kiosk.pairing_digest and code not in kiosk.pairing_digest
    found, raw = kiosks.pair_kiosk(code=f" {code[:4].lower()}-{code[4:]} ")  # as typed: any case, a dash
    assert found == kiosk and kiosks.kiosk_for_token(raw) == kiosk and raw.startswith("gki_")
    with translation.override("en"), pytest.raises(ValidationError, match="not valid or has expired"):
        kiosks.pair_kiosk(code=code)  # used up
    assert [
        entry.action for entry in AuditEntry.objects.filter(action__startswith="kiosk.").order_by("pk")
    ] == [
        "kiosk.created",
        "kiosk.code_issued",
        "kiosk.paired",
    ]


def test_a_new_code_replaces_the_old_one_and_pairing_again_ends_the_device_paired_before(kiosk):
    first = kiosks.issue_pairing_code(actor=kiosk.created_by, kiosk=kiosk)
    second = kiosks.issue_pairing_code(actor=kiosk.created_by, kiosk=kiosk)
    with pytest.raises(ValidationError):
        kiosks.pair_kiosk(code=first)
    _kiosk, old_device = kiosks.pair_kiosk(code=second)
    _kiosk, new_device = kiosks.pair_kiosk(
        code=kiosks.issue_pairing_code(actor=kiosk.created_by, kiosk=kiosk)
    )
    assert kiosks.kiosk_for_token(old_device) is None and kiosks.kiosk_for_token(new_device) == kiosk


def test_a_code_expires_after_24_hours_and_a_wrong_code_is_refused(kiosk):
    code = kiosks.issue_pairing_code(actor=kiosk.created_by, kiosk=kiosk)
    for wrong in ("", "ABCD", "ABCDEFGH", code + "X"):
        with pytest.raises(ValidationError):
            kiosks.pair_kiosk(code=wrong)
    with time_machine.travel(timezone.now() + timedelta(hours=24, seconds=1)), pytest.raises(ValidationError):
        kiosks.pair_kiosk(code=code)


def test_revoking_a_kiosk_ends_its_device_and_its_code(kiosk):
    _kiosk, raw = kiosks.pair_kiosk(code=kiosks.issue_pairing_code(actor=kiosk.created_by, kiosk=kiosk))
    code = kiosks.issue_pairing_code(actor=kiosk.created_by, kiosk=kiosk)
    kiosks.revoke_kiosk(actor=kiosk.created_by, kiosk=kiosk)
    assert kiosks.kiosk_for_token(raw) is None
    with pytest.raises(ValidationError):
        kiosks.pair_kiosk(code=code)
    kiosk.refresh_from_db()
    with translation.override("en"), pytest.raises(ValidationError, match="revoked"):
        kiosks.issue_pairing_code(actor=kiosk.created_by, kiosk=kiosk)


def test_only_the_organisations_seller_admins_create_kiosks_and_codes(kiosk, category):
    organisation = category.event.organisation
    for outsider in (member(organisation, Role.BOX_OFFICE), seller_admin(EventFactory().organisation, "x")):
        with pytest.raises(PermissionDenied):
            kiosks.create_kiosk(actor=outsider, organisation=organisation, name="K")
        with pytest.raises(PermissionDenied):
            kiosks.issue_pairing_code(actor=outsider, kiosk=kiosk)
    with pytest.raises(ValidationError):
        kiosks.create_kiosk(actor=kiosk.created_by, organisation=organisation, name="  ")


def test_a_kiosk_is_no_box_office_station_and_a_station_token_is_no_kiosk(kiosk, category):
    _station, raw, _ = station_for(category.event.organisation)
    _kiosk, kiosk_raw = kiosks.pair_kiosk(code=kiosks.issue_pairing_code(actor=kiosk.created_by, kiosk=kiosk))
    assert kiosks.kiosk_for_token(raw) is None
    assert (
        Client().get("/api/v1/pos/station/", headers={"authorization": f"Bearer {kiosk_raw}"}).status_code
        == 401
    )
    assert list(box_office_selectors.stations(category.event.organisation)) == [_station]


# --- selling -----------------------------------------------------------------------------------------------


def test_a_kiosk_sells_only_its_organisations_events_from_the_online_inventory(kiosk, category):
    other = CategoryFactory()
    with translation.override("en"), pytest.raises(orders.CheckoutError, match="not sold at this kiosk"):
        counter_order(kiosk, other)
    order = counter_order(kiosk, category, 2)
    assert order.channel == "kiosk" and order.station == kiosk and order.status == "pending"
    assert order.expires_at == order.created_at + timedelta(minutes=30)  # KIOSK_HOLD_MINUTES
    assert list(order.tickets.values_list("last_name", "status")) == [("Lena Weber", "reserved")] * 2
    by_card = counter_order(kiosk, category, 1, at_counter=False)
    assert by_card.expires_at == by_card.created_at + timedelta(minutes=15)  # as online
    with translation.override("en"), pytest.raises(orders.CheckoutError, match="Only 7 seats left"):
        counter_order(kiosk, category, 8)  # the held seats are taken


# --- paid at the counter -------------------------------------------------------------------------------


def test_the_pos_finds_a_kiosk_order_then_pays_it_once_tickets_valid_and_emailed(kiosk, category):
    station, raw, _ = station_for(category.event.organisation)
    order = counter_order(kiosk, category, 2)
    found = api(raw, f"{order.reference.lower()}/")
    assert found.status_code == 200
    assert found.json() | {"expires_at": None, "starts_at": None} == {
        "reference": order.reference,
        "status": "pending",
        "event": category.event_id,
        "event_title": category.event.title,
        "starts_at": None,
        "venue": "Salle Pleyel",
        "buyer_name": "Lena Weber",
        "buyer_email": "lena@example.org",
        "lines": [{"category": category.pk, "category_name": category.name, "quantity": 2, "price": "30.00"}],
        "total": "60.00",
        "currency": "EUR",
        "expires_at": None,
    }
    body = payment()
    paid = api(raw, f"{order.reference}/pay/", body)
    assert paid.status_code == 201
    assert paid.json()["order"] == order.reference and len(paid.json()["tickets"]) == 2
    order.refresh_from_db()
    assert order.status == "paid" and order.commission_excl_vat > 0
    assert set(order.tickets.values_list("status", flat=True)) == {Ticket.Status.VALID}
    sale = CounterSale.objects.get()
    assert (sale.station, sale.order, sale.method, sale.status) == (station, order, "cash", "synced")
    email = OutboundMessage.objects.get(idempotency_key=f"order-tickets:{order.reference}")
    assert email.recipient == "lena@example.org" and email.attachments.count() == 2
    assert AuditEntry.objects.filter(action="kiosk.order_paid", target_id=str(order.pk)).count() == 1

    # a replay answers the same, changes nothing; the same id with other content is refused
    replay = api(raw, f"{order.reference}/pay/", body)
    assert replay.status_code == 200 and replay.json() == paid.json()
    other = api(raw, f"{order.reference}/pay/", {**body, "method": "card", "card_reference": "T-1"})
    assert other.status_code == 409 and other.json()["status"] == "mismatch"
    again = api(raw, f"{order.reference}/pay/", payment())
    assert again.status_code == 409 and again.json()["status"] == "paid"
    assert api(raw, f"{order.reference}/").status_code == 409
    assert CounterSale.objects.count() == 1 and OutboundMessage.objects.count() == 1

    # in the station's Z report, by method
    report = box_office_selectors.z_report(station, timezone.localdate())
    cash = next(line for line in report.methods if line.method == "cash")
    assert (cash.sales, cash.tickets, cash.amount) == (1, 2, Decimal("60.00"))


def test_an_expired_other_organisations_or_unknown_order_is_refused_and_nothing_changes(kiosk, category):
    _station, raw, _ = station_for(category.event.organisation)
    _elsewhere, other_raw, _ = station_for(EventFactory().organisation)
    order = counter_order(kiosk, category, 1)
    online = orders.place_order(
        event_id=category.event_id,
        buyer_email="a@example.org",
        language="fr",
        seats=[orders.Seat(category.pk, "A", "B")],
    )
    assert api(other_raw, f"{order.reference}/pay/", payment()).status_code == 404
    assert api(raw, f"{online.reference}/pay/", payment()).status_code == 404  # not a kiosk order
    assert api(raw, "NOPE1234/").status_code == 404
    refused = api(raw, f"{order.reference}/pay/", payment(method="card"))
    assert refused.status_code == 400 and "reference" in refused.json()["detail"][0]
    future = (timezone.now() + timedelta(hours=1)).isoformat()
    assert api(raw, f"{order.reference}/pay/", payment(sold_at=future)).status_code == 400
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        expired = api(raw, f"{order.reference}/pay/", payment())
        assert expired.status_code == 409 and expired.json()["status"] == "expired"
        orders.expire_orders()
        assert api(raw, f"{order.reference}/").json()["status"] == "expired"
    order.refresh_from_db()
    assert (
        order.status == "expired"
        and not CounterSale.objects.exists()
        and not OutboundMessage.objects.exists()
    )
    assert api("gps_nope", f"{order.reference}/").status_code == 401


def test_a_kiosk_order_whose_card_payment_failed_is_held_for_the_counter_from_then(kiosk, category):
    order = counter_order(kiosk, category, 1, at_counter=False)
    with time_machine.travel(timezone.now() + timedelta(minutes=10), tick=False):
        held = kiosks.hold_at_counter(kiosk=kiosk, order=order)
        assert held.expires_at == timezone.now() + timedelta(minutes=30)
    with time_machine.travel(timezone.now() + timedelta(minutes=41)), pytest.raises(ValidationError):
        kiosks.hold_at_counter(kiosk=kiosk, order=order)


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_stations_paying_the_same_kiosk_order_at_once_pay_it_once():
    category = CategoryFactory(quota=10, event__capacity=12, price=Decimal("30.00"))
    organisation = category.event.organisation
    kiosk = kiosks.create_kiosk(actor=seller_admin(organisation, "kim"), organisation=organisation, name="K")
    (_a, raw_a, _), (_b, raw_b, _) = station_for(organisation, "A"), station_for(organisation, "B")
    order = counter_order(kiosk, category, 2)
    raws = iter([raw_a, raw_b])
    statuses = run_concurrently(lambda: api(next(raws), f"{order.reference}/pay/", payment()).status_code, 2)
    assert sorted(statuses) == [201, 409]
    assert CounterSale.objects.count() == 1 and Order.objects.get(pk=order.pk).status == "paid"
    assert OutboundMessage.objects.filter(idempotency_key__startswith="order-tickets:").count() == 1

    same = payment()  # one station retrying the same payment at once: paid once, both answered with it
    second = counter_order(kiosk, category, 1)
    statuses = run_concurrently(lambda: api(raw_a, f"{second.reference}/pay/", same).status_code, 2)
    assert sorted(statuses) == [200, 201] and CounterSale.objects.filter(order=second).count() == 1
