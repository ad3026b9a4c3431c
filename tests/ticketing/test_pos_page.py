"""The POS web app at /pos/ (P1): staff pick a station and the device is paired with it; the device then
reads what it sells and the tickets it holds to print offline, with their QR codes; the service worker and
the manifest make it an installable app."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
import qrcode
from django.test import Client
from django.utils import timezone

from hub.audit import AuditEntry
from hub.models import Role
from ticketing import qr
from ticketing.models import Event
from ticketing.services import allotments, counter

from .factories import CategoryFactory, EventFactory, member, seller_admin, station_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def category():
    return CategoryFactory(quota=40, event__capacity=50, price=Decimal("30.00"))


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def api(raw, path):
    return Client().get(f"/api/v1/pos/{path}", headers={"authorization": f"Bearer {raw}"})


def test_box_office_staff_see_their_stations_and_pair_this_device(category):
    organisation = category.event.organisation
    station, first_token = station_for(organisation)[:2]
    station_for(CategoryFactory().event.organisation, "Elsewhere")  # another organisation's
    client = signed_in(member(organisation, Role.BOX_OFFICE, username="bea"))
    page = client.get("/pos/")
    assert page.status_code == 200
    assert b"Caisse 1" in page.content and b"Elsewhere" not in page.content
    assert b'rel="manifest"' in page.content and b"js/pos.js" in page.content
    assert page.context["stations"][0]["grant"] == ""  # box-office staff give no complimentary tickets

    paired = client.post(f"/pos/stations/{station.pk}/pair/")
    assert paired.status_code == 200
    token = paired.json()["token"]
    assert token.startswith("gps_") and token != first_token
    assert api(token, "station/").status_code == 200
    assert api(first_token, "station/").status_code == 401  # the device paired before stops syncing
    assert AuditEntry.objects.filter(action="station.paired").count() == 1


def test_only_members_who_sell_reach_the_pos_or_pair(category):
    organisation = category.event.organisation
    station, _raw = station_for(organisation)[:2]
    assert Client().get("/pos/").status_code == 302  # to the sign-in page
    door_client = signed_in(member(organisation, Role.DOOR_STAFF, username="dora"))
    assert door_client.get("/pos/").status_code == 403
    assert door_client.post(f"/pos/stations/{station.pk}/pair/").status_code == 404
    other_client = signed_in(member(CategoryFactory().event.organisation, Role.BOX_OFFICE, username="otto"))
    assert other_client.post(f"/pos/stations/{station.pk}/pair/").status_code == 404
    client = signed_in(member(organisation, Role.BOX_OFFICE, username="bea"))
    assert client.get(f"/pos/stations/{station.pk}/pair/").status_code == 405
    counter.revoke_station(actor=seller_admin(organisation, "boss2x"), station=station)
    assert client.post(f"/pos/stations/{station.pk}/pair/").status_code == 404
    assert not AuditEntry.objects.filter(action="station.paired").exists()


def test_a_station_reads_its_events_on_sale_the_earliest_first_with_seats_left(category):
    event = category.event
    organisation = event.organisation
    sooner = EventFactory(organisation=organisation, starts_at=timezone.now() + timedelta(hours=2))
    CategoryFactory(event=sooner, quota=5)
    EventFactory(organisation=organisation, status=Event.Status.DRAFT)
    EventFactory(
        organisation=organisation,
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=timezone.now() - timedelta(hours=20),
        sales_start=timezone.now() - timedelta(days=3),
    )
    station, raw = station_for(organisation)[:2]
    allotments.issue_allotment(station=station, event_id=event.pk, category_id=category.pk, quantity=4)
    answer = api(raw, "station/?language=de")
    assert answer.status_code == 200
    body = answer.json()
    assert body["name"] == "Caisse 1" and body["currency"] == "EUR" and body["allotment_target"] == 10
    assert [e["id"] for e in body["events"]] == [sooner.pk, event.pk]
    (line,) = body["events"][1]["categories"]
    assert line == {"id": category.pk, "name": "Freie Platzwahl", "price": "30.00", "left": 36}


def test_a_station_downloads_the_tickets_it_holds_with_their_qr_codes(category, settings):
    station, raw = station_for(category.event.organisation)[:2]
    held = allotments.issue_allotment(
        station=station, event_id=category.event_id, category_id=category.pk, quantity=3
    )
    other, other_raw = station_for(category.event.organisation, "Caisse 2")[:2]
    allotments.issue_allotment(station=other, event_id=category.event_id, category_id=category.pk, quantity=2)
    tickets = api(raw, "allotments/tickets/").json()
    assert sorted(t["secret"] for t in tickets) == sorted(t.secret for t in held)  # its own only
    first = tickets[0]
    assert first["url"] == f"{settings.SITE_URL}/t/{first['secret']}/"
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(first["url"])
    rows = code.get_matrix()
    bits = "".join(format(int(digit, 16), "04b") for digit in first["qr"]["bits"])
    assert first["qr"]["size"] == len(rows)
    assert bits[: len(rows) ** 2] == "".join("1" if dark else "0" for row in rows for dark in row)
    assert len(api(other_raw, "allotments/tickets/").json()) == 2
    assert api("gps_wrong", "allotments/tickets/").status_code == 401


def test_the_service_worker_and_manifest_make_it_an_installable_app(category):
    worker = Client().get("/pos/sw.js")
    assert worker.status_code == 200 and worker["Content-Type"].startswith("text/javascript")
    assert b'"/pos/"' in worker.content and b"js/pos.js" in worker.content
    assert "no-cache" in worker["Cache-Control"] or "max-age=0" in worker["Cache-Control"]
    manifest = Client().get("/pos/manifest.webmanifest").json()
    assert manifest["start_url"] == "/pos/" and manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    assert qr.modules("x")["size"] == 21  # the smallest QR code


def test_a_seller_admins_pos_carries_the_grant_that_lets_its_station_give_complimentary_tickets(category):
    organisation = category.event.organisation
    station, _raw, manager = station_for(organisation)
    client = signed_in(manager)
    grant = client.get("/pos/").context["stations"][0]["grant"]
    token = client.post(f"/pos/stations/{station.pk}/pair/").json()["token"]
    free = Client().post(
        "/api/v1/pos/sales/",
        {
            "uuid": str(uuid.uuid4()),
            "event": category.event_id,
            "sold_at": timezone.now().isoformat(),
            "method": "complimentary",
            "reason": "the press",
            "authorised_by": grant,
            "lines": [{"category": category.pk, "quantity": 2}],
        },
        content_type="application/json",
        headers={"authorization": f"Bearer {token}"},
    )
    assert free.status_code == 201, free.content
    assert [ticket["price"] for ticket in free.json()["tickets"]] == ["0.00", "0.00"]
