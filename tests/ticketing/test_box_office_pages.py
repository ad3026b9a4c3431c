"""The box office's back-office pages: stations, a station's cash sessions and sales, conflicts, Z reports.
Box-office staff see their organisation's and handle its cash; only managers create, revoke, refund and
settle; other organisations see nothing."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from hub.models import Role
from ticketing.models import CounterSale, Station
from ticketing.services import allotments, box_office

from .factories import CategoryFactory, member, seller_admin, station_for
from .test_box_office import sell

pytestmark = pytest.mark.django_db
BASE = "/en/backoffice/box-office/"


@pytest.fixture
def category():
    return CategoryFactory(quota=10, event__capacity=12, price=Decimal("30.00"))


@pytest.fixture
def station(category):
    station, _raw, _ = station_for(category.event.organisation)
    return station


def signed_in(client, user):
    client.force_login(user)
    return client


def test_a_manager_creates_a_station_sees_its_token_once_and_revokes_it(client, category):
    organisation = category.event.organisation
    signed_in(client, seller_admin(organisation))
    page = client.get(BASE)
    assert page.status_code == 200 and "No station yet." in page.content.decode()
    created = client.post(BASE, {"name": "Counter 1"})
    station = Station.objects.get(name="Counter 1")
    assert created.status_code == 200 and 'id="new-token">gps_' in created.content.decode()
    again = client.get(BASE).content.decode()
    assert "Counter 1" in again and "new-token" not in again
    assert "This field is required" in client.post(BASE, {"name": ""}).content.decode()
    client.post(f"{BASE}stations/{station.pk}/revoke/")
    station.refresh_from_db()
    assert station.revoked_at is not None


def test_the_stations_list_shows_the_open_session_the_allotment_left_and_the_conflicts(
    client, category, station
):
    manager = seller_admin(category.event.organisation, "boss")
    box_office.open_cash_session(actor=manager, station=station, opening_float=Decimal("75.00"))
    allotments.issue_allotment(
        station=station, event_id=category.event_id, category_id=category.pk, quantity=2
    )
    sell(station, category, 7)
    sell(station, category, 4)  # a conflict
    page = signed_in(client, manager).get(BASE).content.decode()
    assert "€75.00" in page and 'class="badge failed" href="/en/backoffice/box-office/conflicts/">1<' in page
    assert '<td data-label="Allotment left">2</td>' in page
    nav = page[page.index('class="bo-nav"') : page.index("</nav>", page.index('class="bo-nav"'))]
    assert "Box office" in nav


def test_box_office_staff_see_the_stations_and_handle_the_cash_but_cannot_create_or_refund(
    client, category, station
):
    staff = member(category.event.organisation)
    signed_in(client, staff)
    page = client.get(BASE).content.decode()
    assert station.name in page and "New station" not in page and "Revoke" not in page
    assert client.post(BASE, {"name": "Mine"}).status_code == 403
    assert client.post(BASE, {"name": ""}).status_code == 403
    assert client.post(f"{BASE}stations/{station.pk}/revoke/").status_code == 403
    opened = client.post(f"{BASE}stations/{station.pk}/open/", {"opening_float": "50.00"})
    assert opened.status_code == 302 and station.cash_sessions.get().opened_by == staff
    sale = sell(station, category, 1)
    detail = client.get(f"{BASE}stations/{station.pk}/").content.decode()
    assert "Close the cash session" in detail and "€30.00" in detail and "Void" not in detail
    assert client.post(f"{BASE}sales/{sale.pk}/refund/", {"note": "mine"}).status_code == 403
    session = station.cash_sessions.get()
    closed = client.post(f"{BASE}sessions/{session.pk}/close/", {"counted_cash": "75.00"}, follow=True)
    assert "difference of -€5.00 (expected €80.00)" in closed.content.decode()
    day = timezone.localdate().isoformat()
    assert client.get(f"{BASE}stations/{station.pk}/z/{day}/").status_code == 200
    assert client.get(f"{BASE}conflicts/").status_code == 200


def test_another_organisations_member_gets_403_everywhere(client, category, station):
    sale = sell(station, category, 1)
    session = box_office.open_cash_session(
        actor=seller_admin(category.event.organisation, "boss"), station=station, opening_float=Decimal("0")
    )
    signed_in(client, seller_admin(CategoryFactory().event.organisation, "stranger"))
    day = timezone.localdate().isoformat()
    for url in (
        f"stations/{station.pk}/",
        f"stations/{station.pk}/z/{day}/",
        f"stations/{station.pk}/z/{day}.xlsx",
    ):
        assert client.get(BASE + url).status_code == 403, url
    posts = {
        f"stations/{station.pk}/revoke/": {},
        f"stations/{station.pk}/open/": {"opening_float": "1"},
        f"sessions/{session.pk}/close/": {"counted_cash": "0"},
        f"sales/{sale.pk}/refund/": {"note": "x"},
        f"conflicts/{sale.pk}/settle/": {"decision": "accept"},
    }
    for url, data in posts.items():
        assert client.post(BASE + url, data).status_code == 403, url
    assert station.name not in client.get(BASE).content.decode()  # the stranger's own box office
    signed_in(client, member(category.event.organisation, Role.DOOR_STAFF))
    assert client.get(BASE).status_code == 403


def test_a_manager_voids_a_sale_of_the_open_session_and_refunds_an_older_one(client, category, station):
    manager = seller_admin(category.event.organisation, "boss")
    older = sell(station, category, 1, sold_at=timezone.now() - timedelta(hours=3))
    box_office.open_cash_session(actor=manager, station=station, opening_float=Decimal("0"))
    recent = sell(station, category, 2)
    signed_in(client, manager)
    page = client.get(f"{BASE}stations/{station.pk}/").content.decode()
    assert "Void €60.00" in page and "Refund €30.00" in page
    assert f'href="/en/backoffice/orders/{recent.order.reference}/"' in page
    refused = client.post(f"{BASE}sales/{recent.pk}/refund/", {"note": ""}, follow=True)
    assert "Say why the money is given back." in refused.content.decode()
    done = client.post(f"{BASE}sales/{recent.pk}/refund/", {"note": "wrong day"}, follow=True)
    assert "€60.00 given back" in done.content.decode()
    client.post(f"{BASE}sales/{older.pk}/refund/", {"note": "ill"})
    twice = client.post(f"{BASE}sales/{older.pk}/refund/", {"note": "ill"}, follow=True)
    assert "already given back" in twice.content.decode()
    assert CounterSale.objects.filter(status=CounterSale.Status.REFUNDED).count() == 2


def test_the_conflicts_page_shows_what_was_sold_and_a_manager_settles_it(client, category, station):
    sell(station, category, 9)
    with translation.override("en"):  # the conflict's reason is written in the language of the sync
        conflict = sell(station, category, 3, method="card")
    staff_page = (
        signed_in(client, member(category.event.organisation)).get(f"{BASE}conflicts/").content.decode()
    )
    assert "Only 1 seats left" in staff_page and "Accept over capacity" not in staff_page
    assert client.post(f"{BASE}conflicts/{conflict.pk}/settle/", {"decision": "accept"}).status_code == 403
    signed_in(client, seller_admin(category.event.organisation, "boss"))
    page = client.get(f"{BASE}conflicts/").content.decode()
    assert "3 × Placement libre" in page and "€90.00" in page and "TPE-42" in page and station.name in page
    settled = client.post(
        f"{BASE}conflicts/{conflict.pk}/settle/", {"decision": "accept", "note": "friends"}, follow=True
    )
    assert "accepted over capacity" in settled.content.decode()
    assert "No conflict to settle" in settled.content.decode()
    conflict.refresh_from_db()
    assert conflict.status == CounterSale.Status.ACCEPTED


def test_the_z_report_page_flags_in_red_and_downloads_as_xlsx(client, category, station):
    manager = seller_admin(category.event.organisation, "boss")
    session = box_office.open_cash_session(actor=manager, station=station, opening_float=Decimal("10"))
    sell(station, category, 1)
    box_office.close_cash_session(actor=manager, session=session, counted_cash=Decimal("38.00"))
    signed_in(client, manager)
    day = timezone.localdate().isoformat()
    detail = client.get(f"{BASE}stations/{station.pk}/").content.decode()
    assert f'href="{BASE}stations/{station.pk}/z/{day}/"' in detail
    page = client.get(f"{BASE}stations/{station.pk}/z/{day}/").content.decode()
    assert "Something needs checking" in page and 'class="flagged">-€2.00' in page
    assert client.get(f"{BASE}stations/{station.pk}/z/not-a-day/").status_code == 404
    download = client.get(f"{BASE}stations/{station.pk}/z/{day}.xlsx")
    assert download["Content-Disposition"] == f'attachment; filename="z-report-caisse-1-{day}.xlsx"'
    sessions = load_workbook(io.BytesIO(download.content)).worksheets[1]
    assert [cell.value for cell in sessions[2]][3:9] == [10, 30, 0, 40, 38, -2]
