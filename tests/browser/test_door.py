"""At the door in a real browser: the QR-app flow (GREEN, RED, exit pass, GREEN), Scan-On-Air following it
live, and the App-Scanner reading a QR code from a (fake) camera."""

import re

import pytest
import qrcode
from django.utils import timezone
from playwright.sync_api import expect

from hub.models import Role, User
from ticketing.models import Membership, Presence, Ticket
from ticketing.services import allotments, counter, orders

from ..helpers import make_user
from ..ticketing.factories import CategoryFactory, seller_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/fr/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-battery")
    page.locator("main button[type=submit]").click()


@pytest.fixture
def ticket(settings, live_server):
    settings.SITE_URL = live_server.url
    settings.SCAN_ON_AIR_REFRESH_SECONDS = 2
    category = CategoryFactory(event__title_fr="Nuit du Jazz")
    order = orders.place_order(
        event_id=category.event_id,
        buyer_email="a@example.org",
        language="fr",
        seats=[orders.Seat(category.pk, "Alice", "Durand")],
    )
    orders.confirm_paid(order, timezone.now(), send_tickets=False)
    door = make_user("dora", Role.DOOR_STAFF)
    Membership.objects.create(organisation=category.event.organisation, user=door, role="door_staff")
    seller_admin(category.event.organisation)
    return order.tickets.get()


def test_door_staff_green_red_exit_green_and_scan_on_air_follows(open_page, live_server, ticket, screenshot):
    organiser = open_page()
    sign_in(organiser, live_server, "sophie")
    organiser.goto(f"{live_server.url}/fr/backoffice/events/{ticket.event_id}/entries/")
    expect(organiser.locator("#count-present")).to_have_text("0")
    expect(organiser.locator("#count-absent")).to_have_text("1")

    door = open_page(viewport={"width": 390, "height": 844})
    sign_in(door, live_server, "dora")
    door.goto(f"{live_server.url}/t/{ticket.secret}/")  # what a phone's QR app opens
    verdict = door.locator(".verdict")
    expect(verdict).to_have_class(re.compile(r"\bgreen\b"))
    expect(door.get_by_text("DURAND")).to_be_visible()
    expect(door.get_by_text(ticket.number)).to_be_visible()
    screenshot(door, "green")
    first_scan = Ticket.objects.get().first_entry_at

    door.goto(f"{live_server.url}/t/{ticket.secret}/")  # scanned again
    expect(verdict).to_have_class(re.compile(r"\bred\b"))
    local = timezone.localtime(first_scan)
    expect(door.get_by_text(local.strftime("%H:%M:%S"))).to_be_visible()
    screenshot(door, "red")

    organiser_counts = organiser.locator("#count-present")
    expect(organiser_counts).to_have_text("1", timeout=5000)  # within one refresh, without a reload
    screenshot(organiser, "scan-on-air-after-entry")

    door.get_by_role("button", name="Laisser passer de sortie").click()
    expect(door.locator(".verdict[data-result=exited]")).to_be_visible()
    assert Ticket.objects.get().presence == Presence.OUT
    expect(organiser.locator("#count-out")).to_have_text("1", timeout=5000)

    door.goto(f"{live_server.url}/t/{ticket.secret}/")  # back in
    expect(verdict).to_have_class(re.compile(r"\bgreen\b"))
    expect(organiser.locator("#count-present")).to_have_text("1", timeout=5000)
    expect(organiser.locator("#count-out")).to_have_text("0")


def test_app_scanner_reads_a_qr_code_from_the_camera(open_page, live_server, ticket, camera, screenshot):
    camera(qrcode.make(f"{live_server.url}/t/{ticket.secret}/").get_image())
    page = open_page(permissions=["camera"])
    sign_in(page, live_server, "dora")
    expect(page).to_have_url(re.compile(r"/fr/scan/$"))
    page.fill("#scan-gate", "Nord")
    result = page.locator("#scan-result .verdict")
    expect(result).to_have_attribute("data-result", re.compile("admitted|already_inside"), timeout=15000)
    screenshot(page, "app-scanner")
    assert Ticket.objects.get().presence == Presence.INSIDE
    assert Ticket.objects.get().first_entry_at is not None

    page.fill("#scan-code", "NOPE-0")  # a damaged code typed by hand
    page.get_by_role("button", name="Vérifier").click()
    expect(page.locator("#scan-result .verdict[data-result=unknown]")).to_be_visible()


def test_a_ticket_sold_offline_and_not_synced_is_amber_with_its_station_and_door_staff_let_it_in(
    open_page, live_server, ticket, screenshot
):
    station, _raw = counter.create_station(
        actor=User.objects.get(username="sophie"), organisation=ticket.event.organisation, name="Caisse Nord"
    )
    (printed, *_rest) = allotments.issue_allotment(
        station=station, event_id=ticket.event_id, category_id=ticket.category_id, quantity=2
    )
    door = open_page(viewport={"width": 390, "height": 844})
    sign_in(door, live_server, "dora")
    door.goto(f"{live_server.url}/t/{printed.secret}/")  # the QR code on the offline receipt
    verdict = door.locator(".verdict")
    expect(verdict).to_have_class(re.compile(r"\bamber\b"))
    expect(door.get_by_text("VENDU HORS LIGNE", exact=True)).to_be_visible()
    expect(door.locator(".verdict-note")).to_contain_text("Caisse Nord")
    assert verdict.bounding_box()["width"] > 340  # the phone's width (it once shrank to a 165 px column)
    screenshot(door, "offline-amber")
    door.get_by_role("button", name="Faire entrer").click()
    expect(door.locator(".verdict[data-result=admitted]")).to_be_visible()
    screenshot(door, "offline-let-in")
    assert Ticket.objects.get(pk=printed.pk).presence == Presence.INSIDE
