"""Kiosk mode in a real browser (P5): a seller admin creates a kiosk and pairs a tablet with its code; a
customer buys two tickets to pay at the counter, in German, and gets the reference; the untouched kiosk goes
back to its start screen in French after a minute; the POS finds the order by its reference and takes the
cash, printing the tickets; and a purchase by card through the demo bank ends on the tickets' QR codes."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from hub.models import OutboundMessage, Role
from ticketing.models import CounterSale, Membership, Order, Ticket
from ticketing.services import counter

from ..helpers import make_user
from ..ticketing.factories import CategoryFactory, seller_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TABLET = {"width": 1024, "height": 768}
PHONE = {"width": 390, "height": 844}
COUNT_PRINTS = "window.__printed = 0; window.print = function () { window.__printed += 1; };"
REPORT_CSP = """document.addEventListener("securitypolicyviolation", function (event) {
  window.reportViolation(event.violatedDirective + " blocked " + (event.blockedURI || "inline"));
});"""


def watched(page) -> list:
    """The Content-Security-Policy violations the page reports (none expected: no inline script or style)."""
    violations = []
    page.context.expose_binding("reportViolation", lambda source, text: violations.append(text))
    page.add_init_script(REPORT_CSP)
    return violations


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-battery")
    page.locator("main button[type=submit]").click()


@pytest.fixture
def category(settings, live_server):
    settings.SITE_URL = live_server.url
    category = CategoryFactory(
        event__title_fr="Nuit du jazz",
        event__title_de="Jazznacht",
        event__title_en="Jazz Night",
        quota=40,
        event__capacity=50,
        price=Decimal("30.00"),
        name_en="Standing",
    )
    organisation = category.event.organisation
    manager = seller_admin(organisation, username="sophie")
    counter.create_station(actor=manager, organisation=organisation, name="Counter 1")
    Membership.objects.create(
        organisation=organisation, user=make_user("bea", Role.BOX_OFFICE), role=Role.BOX_OFFICE
    )
    return category


def new_kiosk(page, live_server, name) -> str:
    """The seller admin creates a kiosk in the back office: its pairing code."""
    page.goto(f"{live_server.url}/en/backoffice/marketing/")
    page.fill("#id_name", name)
    page.get_by_role("button", name="Create the kiosk").click()
    return page.locator("#pairing-code").inner_text()


def pair(kiosk, live_server, code):
    kiosk.goto(f"{live_server.url}/fr/kiosk/pair/")
    kiosk.fill("#id_code", code)
    kiosk.locator("main button[type=submit]").click()
    expect(kiosk).to_have_url(f"{live_server.url}/fr/kiosk/")


def test_a_kiosk_order_paid_at_the_counter(open_page, live_server, category, screenshot):
    admin = open_page(locale="en-GB", viewport={"width": 1280, "height": 900})
    sign_in(admin, live_server, "sophie")
    code = new_kiosk(admin, live_server, "Entrance hall")
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    screenshot(admin, "1-backoffice-kiosk-code")

    kiosk = open_page(viewport=TABLET, has_touch=True)
    violations = watched(kiosk)
    kiosk.clock.install()
    pair(kiosk, live_server, code)
    expect(kiosk.locator(".kiosk-event")).to_have_count(1)
    expect(kiosk.locator(".kiosk-brand")).to_have_text(category.event.organisation.name)
    screenshot(kiosk, "2-tablet-start-fr")
    kiosk.locator("[data-kiosk-fullscreen]").click()
    kiosk.wait_for_function("document.fullscreenElement !== null")

    # in German: two tickets, to pay at the counter
    kiosk.locator(".kiosk-languages a[lang=de]").click()
    expect(kiosk).to_have_url(f"{live_server.url}/de/kiosk/")
    expect(kiosk.locator("html")).to_have_attribute("lang", "de")
    kiosk.get_by_text("Jazznacht").click()
    plus = kiosk.locator("[data-kiosk-step='1']")
    plus.click()
    plus.click()
    expect(kiosk.locator("[data-kiosk-quantity]")).to_have_value("2")
    expect(kiosk.locator("[data-kiosk-total]")).to_have_text("60,00\xa0€")
    kiosk.fill("#id_email", "lena@example.org")
    kiosk.fill("#id_name", "Lena Weber")
    screenshot(kiosk, "3-tablet-event-de")
    kiosk.locator("button[value=counter]").click()
    reference = kiosk.locator("#kiosk-reference")
    expect(reference).to_have_text(re.compile(r"^[A-Z2-9]{8}$"))
    order = Order.objects.get()
    assert reference.inner_text() == order.reference and order.language == "de" and order.channel == "kiosk"
    expect(kiosk).to_have_url(f"{live_server.url}/de/kiosk/orders/{order.reference}/")
    assert kiosk.evaluate("document.fullscreenElement !== null")  # boosted navigation: still full screen
    screenshot(kiosk, "4-tablet-reference")

    # untouched for a minute: back to the start screen, in French
    kiosk.clock.fast_forward("00:59")
    expect(kiosk).to_have_url(f"{live_server.url}/de/kiosk/orders/{order.reference}/")
    kiosk.clock.fast_forward("00:02")
    expect(kiosk).to_have_url(f"{live_server.url}/fr/kiosk/")
    expect(kiosk.locator("html")).to_have_attribute("lang", "fr")
    expect(kiosk.get_by_text("Nuit du jazz")).to_be_visible()
    assert violations == []

    # at the counter: the POS finds the order by its reference and takes the cash
    pos = open_page(locale="en-GB", viewport={"width": 1280, "height": 900})
    pos.add_init_script(COUNT_PRINTS)
    pos.on("dialog", lambda dialog: dialog.accept())
    sign_in(pos, live_server, "bea")
    pos.goto(f"{live_server.url}/pos/")
    pos.get_by_role("button", name=re.compile("Counter 1")).click()
    expect(pos.locator("#pos-network")).to_have_attribute("data-state", "online")
    pos.fill("#pos-kiosk-reference", "nope")
    pos.get_by_role("button", name="Find").click()
    expect(pos.locator("#pos-kiosk-find-error")).to_have_text("No kiosk order of yours has this reference.")
    pos.fill("#pos-kiosk-reference", order.reference.lower())
    pos.get_by_role("button", name="Find").click()
    expect(pos.locator("#pos-kiosk-order")).to_be_visible()
    expect(pos.locator("#pos-kiosk-total")).to_have_text("€60.00")
    expect(pos.locator("#pos-kiosk-buyer")).to_contain_text("Lena Weber · lena@example.org")
    pos.fill("#pos-kiosk-tendered", "50")
    pos.get_by_role("button", name="Take the payment").click()
    expect(pos.locator("#pos-kiosk-error")).to_have_text("The cash received is less than the total.")
    pos.fill("#pos-kiosk-tendered", "100")
    expect(pos.locator("#pos-kiosk-change")).to_contain_text("40.00")
    screenshot(pos, "5-pos-kiosk-order")
    pos.get_by_role("button", name="Take the payment").click()
    expect(pos.locator("#pos-done-note")).to_contain_text(f"Paid: order {order.reference}")
    expect(pos.locator("#pos-history .badge.synced")).to_have_count(1)
    assert pos.evaluate("window.__printed") == 1
    pos.emulate_media(media="print")
    expect(pos.locator(".receipt-ticket img.receipt-qr")).to_have_count(2)
    screenshot(pos, "6-pos-receipt-printed")
    order.refresh_from_db()
    assert order.status == "paid" and set(order.tickets.values_list("status", flat=True)) == {
        Ticket.Status.VALID
    }
    sale = CounterSale.objects.get()
    assert sale.order == order and sale.method == "cash" and sale.station.name == "Counter 1"
    assert OutboundMessage.objects.get(idempotency_key=f"order-tickets:{order.reference}").recipient == (
        "lena@example.org"
    )


def test_a_kiosk_purchase_by_card_ends_on_the_tickets_qr_codes(open_page, live_server, category, screenshot):
    admin = open_page(locale="en-GB")
    sign_in(admin, live_server, "sophie")
    code = new_kiosk(admin, live_server, "Phone kiosk")
    kiosk = open_page(viewport=PHONE, has_touch=True)
    violations = watched(kiosk)
    pair(kiosk, live_server, code)
    screenshot(kiosk, "1-phone-start")
    kiosk.get_by_text("Nuit du jazz").click()
    kiosk.locator("[data-kiosk-step='1']").click()
    kiosk.locator("[data-kiosk-step='1']").click()
    kiosk.locator("[data-kiosk-step='-1']").click()
    kiosk.fill("#id_email", "max@example.org")
    kiosk.fill("#id_name", "Max Muster")
    screenshot(kiosk, "2-phone-event")
    kiosk.locator("button[value=card]").click()

    expect(kiosk).to_have_url(re.compile(r"/demobank/pay/"))
    kiosk.fill("#id_holder", "Max Muster")
    kiosk.fill("#id_number", "4242 4242 4242 4242")
    kiosk.fill("#id_expiry", "12/30")
    kiosk.fill("#id_cvc", "123")
    kiosk.locator("button[name=pay]").click()

    order = Order.objects.get()
    expect(kiosk).to_have_url(re.compile(rf"/fr/kiosk/orders/{order.reference}/"))
    expect(kiosk.locator(".kiosk-ticket img")).to_have_count(1, timeout=15000)
    ticket = order.tickets.get()
    expect(kiosk.locator(".kiosk-ticket img")).to_have_attribute("src", f"/t/{ticket.secret}/qr.png")
    assert kiosk.locator(".kiosk-ticket img").evaluate("img => img.naturalWidth") > 0
    screenshot(kiosk, "3-phone-tickets")
    assert violations == []
    order.refresh_from_db()
    assert (
        order.status == "paid"
        and order.payments.get().status == "paid"
        and order.station.name == "Phone kiosk"
    )
    assert OutboundMessage.objects.filter(idempotency_key=f"order-tickets:{order.reference}").exists()
