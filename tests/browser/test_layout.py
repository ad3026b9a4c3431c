"""Back-office layout on a desktop and a 390 × 844 phone: addresses kept whole, one header and a highlighted
menu entry on every page of an event, the refund's reason on its order, no scan frame under the no-camera
text."""

from decimal import Decimal

import pytest
from django.test import Client
from playwright.sync_api import expect

from hub.models import Role
from ticketing.models import Membership
from ticketing.services import orders, refunds

from ..helpers import make_user
from ..ticketing.factories import CategoryFactory, pay, seller_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_EMAIL = "reception.billetterie.principale@theatre-du-marche-exemple.fr"

# Where each line of an element's text starts: the characters after which the text went to a new line.
LINE_BREAKS = """(element) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const breaks = []; let previous = null; let top = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.data.length; i++) {
      const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
      const rect = range.getBoundingClientRect();
      if (top !== null && rect.top > top + 2) breaks.push(previous);
      top = rect.top; previous = node.data[i];
    }
  }
  return breaks;
}"""

NO_CAMERA = """Object.defineProperty(navigator, "mediaDevices", {value: {
  getUserMedia: () => Promise.reject(new DOMException("Requested device not found", "NotFoundError"))}})"""


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/fr/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-battery")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/backoffice/**")


def boxes_overlap(a, b) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_addresses_event_header_menu_refund_reason_and_no_camera(open_page, live_server, screenshot):
    category = CategoryFactory(event__title_fr="Nuit du Jazz", price=Decimal("25.00"))
    event = category.event
    admin = seller_admin(event.organisation)
    door = make_user("dora", Role.DOOR_STAFF, email=LONG_EMAIL)
    Membership.objects.create(organisation=event.organisation, user=door, role="door_staff")
    order = orders.place_order(
        event_id=event.pk,
        buyer_email="zoe@example.org",
        language="fr",
        seats=[orders.Seat(category.pk, "Zoé", "Martin")],
    )
    pay(Client(), order)
    refunds.refund_order(actor=admin, order=order, reason="Concert reporté, client indisponible")
    tabs = ["", "orders/", "entries/", "listings/", "poster/"]

    for device, viewport in {"desktop": (1280, 800), "phone": (390, 844)}.items():
        page = open_page(viewport={"width": viewport[0], "height": viewport[1]})
        page.add_init_script(NO_CAMERA)
        sign_in(page, live_server, "sophie")

        page.goto(f"{live_server.url}/fr/backoffice/members/")
        addresses = page.locator("td .email")
        expect(addresses).to_have_count(2)
        for index in range(addresses.count()):
            address = addresses.nth(index)
            assert address.evaluate(LINE_BREAKS) in ([], ["@"]), f"{address.inner_text()} broken mid-word"
            cell = address.locator("xpath=..")
            assert cell.evaluate("td => td.scrollWidth <= td.clientWidth")
        screenshot(page, f"members-{device}")

        headers = set()
        for tab in tabs:
            page.goto(f"{live_server.url}/fr/backoffice/events/{event.pk}/{tab}")
            header = page.locator(".event-header")
            expect(header).to_have_count(1)
            headers.add((header.locator("h1").inner_text(), header.locator("p.muted").inner_text()))
            events = page.locator(".bo-nav a", has_text="Événements")
            assert events.get_attribute("aria-current") in ("page", "true"), f"no highlight on {tab or '/'}"
            expect(page.locator(".bo-nav a[aria-current]")).to_have_count(1)
            current = page.locator(".tabs a[aria-current=page]")
            expect(current).to_have_count(1)
            box, row = current.bounding_box(), page.locator(".tabs").bounding_box()
            left, right = box["x"] - row["x"], row["x"] + row["width"] - box["x"] - box["width"]
            assert left >= -1 and right >= -1, "the current tab in view"
        assert len(headers) == 1 and "Nuit du Jazz" in headers.pop()[0], "one header on every tab"

        page.goto(f"{live_server.url}/fr/backoffice/orders/{order.reference}/")
        expect(page.locator(".refund-reason")).to_have_text("Concert reporté, client indisponible")
        assert page.locator(".bo-nav a", has_text="Événements").get_attribute("aria-current") == "true"
        screenshot(page, f"refunded-order-{device}")

        page.goto(f"{live_server.url}/fr/scan/")
        camera = page.locator("#camera.no-camera")
        expect(camera).to_have_count(1)
        message = page.locator("#camera-message")
        expect(message).to_contain_text("Aucune caméra")
        expect(page.locator("#camera .aim")).to_be_hidden()
        inside = camera.bounding_box()
        text = message.bounding_box()
        assert text["height"] <= inside["height"] and boxes_overlap(text, inside)
        assert page.locator("#scan-code").bounding_box()["y"] < viewport[1], "the typed code in view"
        screenshot(page, f"scanner-no-camera-{device}")
