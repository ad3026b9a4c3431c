"""The box office in a real browser (P1): the POS sells online, keeps selling from its allotment when the
network is cut (printed, queued on the device, the page still opens), syncs when the network is back, the
tickets it printed offline scan GREEN at the door, and sending the same queue again changes nothing."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from hub.models import Role
from ticketing.models import CounterSale, Membership, Order, Ticket
from ticketing.services import counter

from ..helpers import make_user
from ..ticketing.factories import CategoryFactory, seller_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The receipt printer is outside the machine: window.print is counted, and the receipt looked at as printed.
COUNT_PRINTS = "window.__printed = 0; window.print = function () { window.__printed += 1; };"
REPLAY_HISTORY = """async () => {
  const db = await new Promise((ok) => {
    const opening = indexedDB.open("guichet-pos", 1);
    opening.onsuccess = () => ok(opening.result);
  });
  const read = (name, key) => new Promise((ok) => {
    const store = db.transaction(name).objectStore(name);
    const request = key ? store.get(key) : store.getAll();
    request.onsuccess = () => ok(request.result);
  });
  const token = await read("kv", "token");
  const sales = (await read("history")).map((sale) => sale.content);
  const response = await fetch("/api/v1/pos/sales/batch/", {
    method: "POST", headers: {"Content-Type": "application/json", Authorization: "Bearer " + token},
    body: JSON.stringify({sales}),
  });
  return (await response.json()).results.map((result) => result.code);
}"""


def pages(pdf: bytes) -> list[tuple[int, int]]:
    """Each page's size in millimetres, from the PDF's media boxes."""
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    return [(round(float(w) * 25.4 / 72), round(float(h) * 25.4 / 72)) for w, h in boxes]


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-battery")
    page.locator("main button[type=submit]").click()


@pytest.fixture
def category(settings, live_server):
    settings.SITE_URL = live_server.url
    category = CategoryFactory(
        event__title_en="Jazz Night", quota=40, event__capacity=50, price=Decimal("30.00"), name_en="Standing"
    )
    organisation = category.event.organisation
    counter.create_station(actor=seller_admin(organisation), organisation=organisation, name="Counter 1")
    for username, role in (("bea", Role.BOX_OFFICE), ("dora", Role.DOOR_STAFF)):
        Membership.objects.create(organisation=organisation, user=make_user(username, role), role=role)
    return category


def sell(page, quantity=1, **fields):
    for _ in range(quantity):
        page.locator(".pos-category").first.click()
    for selector, value in fields.items():
        page.fill(selector, value)
    page.get_by_role("button", name="Sell", exact=True).click()
    expect(page.locator("#pos-done")).to_be_visible()
    page.get_by_role("button", name="Next sale").click()


def test_the_pos_keeps_selling_offline_and_syncs_once_back(open_page, live_server, category, screenshot):
    page = open_page(locale="en-GB", viewport={"width": 1280, "height": 900})
    page.add_init_script(COUNT_PRINTS)
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, live_server, "bea")
    page.goto(f"{live_server.url}/pos/")
    page.get_by_role("button", name=re.compile("Counter 1")).click()
    expect(page.locator("#pos-network")).to_have_attribute("data-state", "online")
    allotment = page.locator(".pos-left").first
    expect(allotment).to_contain_text("10 in hand offline", timeout=10000)
    expect(page.get_by_role("button", name="Complimentary")).to_be_hidden()  # managers only

    # online: two tickets paid cash, the change shown, printed and synced at once
    page.locator(".pos-category").first.click()
    page.locator(".pos-category").first.click()
    page.fill("#pos-tendered", "100")
    page.select_option("#pos-layout", "a6")
    expect(page.locator("#pos-change")).to_contain_text("40.00")
    screenshot(page, "1-online-cart")
    page.get_by_role("button", name="Sell", exact=True).click()
    expect(page.locator("#pos-history .badge.synced")).to_have_count(1)
    expect(page.locator("#pos-queue")).to_have_text("All synced")
    assert page.evaluate("window.__printed") == 1
    page.get_by_role("button", name="Next sale").click()
    page.select_option("#pos-layout", "roll")
    online_sale = CounterSale.objects.get()
    assert online_sale.status == CounterSale.Status.SYNCED and online_sale.order.tickets.count() == 2

    # the network is cut: three more sales from the allotment, each printed, queued on the device
    page.context.set_offline(True)
    expect(page.locator("#pos-network")).to_have_attribute("data-state", "offline")
    sell(page)
    sell(page, **{"#pos-tendered": "50"})
    page.get_by_role("button", name="Card", exact=True).click()
    sell(page, **{"#pos-card-ref": "TERM-0042"})
    expect(page.locator("#pos-queue")).to_have_text("3 to sync")
    expect(page.locator("#pos-history .badge.queued")).to_have_count(3)
    assert page.evaluate("window.__printed") == 4
    assert CounterSale.objects.count() == 1  # nothing reached the server
    screenshot(page, "2-offline-queue")
    page.get_by_role("button", name="Print", exact=True).first.click()  # the last receipt, as printed
    page.emulate_media(media="print")
    expect(page.locator(".receipt-ticket svg.receipt-qr")).to_have_count(1)
    screenshot(page, "3-offline-receipt-printed")
    assert pages(page.pdf(prefer_css_page_size=True)) == [(80, 150)]  # one 80 mm receipt
    page.emulate_media(media="screen")
    page.get_by_role("button", name="Print", exact=True).last.click()  # the online sale, printed on A6
    page.emulate_media(media="print")
    assert pages(page.pdf(prefer_css_page_size=True)) == [(105, 148)] * 2  # one ticket a page
    page.emulate_media(media="screen")
    page.reload()  # the service worker serves the page without a network; the queue is still there
    expect(page.locator("#pos-queue")).to_have_text("3 to sync")
    expect(page.locator("#pos-network")).to_have_attribute("data-state", "offline")

    # the network is back: the queue syncs by itself
    page.context.set_offline(False)
    expect(page.locator("#pos-queue")).to_have_text("All synced", timeout=15000)
    expect(page.locator("#pos-history .badge.synced")).to_have_count(4)
    expect(page.locator("#pos-last-sync")).to_contain_text("Last sync")
    screenshot(page, "4-back-online-synced")
    offline = CounterSale.objects.exclude(pk=online_sale.pk)
    assert offline.count() == 3 and set(offline.values_list("status", flat=True)) == {"synced"}
    assert offline.get(method="card").content["card_reference"] == "TERM-0042"
    printed = [secret for sale in offline for secret in sale.content["tickets"]]
    assert len(printed) == 3  # each offline sale printed a ticket of the allotment
    assert set(Ticket.objects.filter(secret__in=printed).values_list("status", flat=True)) == {"valid"}
    assert Order.objects.filter(channel="counter", status="paid").count() == 4

    # at the door the tickets printed offline are ordinary tickets: GREEN
    door = open_page(viewport={"width": 390, "height": 844})
    door.goto(f"{live_server.url}/fr/accounts/login/")
    door.fill("#id_username", "dora")
    door.fill("#id_password", "correct-horse-battery")
    door.locator("main button[type=submit]").click()
    for secret in printed:
        door.goto(f"{live_server.url}/t/{secret}/")
        expect(door.locator(".verdict")).to_have_class(re.compile(r"\bgreen\b"))
    screenshot(door, "5-door-green")

    # sending the same queue again changes nothing
    sold = sorted(Ticket.objects.filter(status="valid").values_list("secret", flat=True))
    assert page.evaluate(REPLAY_HISTORY) == [200, 200, 200, 200]
    assert (
        CounterSale.objects.count() == 4
        and Order.objects.filter(channel="counter", status="paid").count() == 4
    )
    assert sorted(Ticket.objects.filter(status="valid").values_list("secret", flat=True)) == sold


def test_a_manager_gives_complimentary_tickets_offline_and_they_sync(open_page, live_server, category):
    page = open_page(locale="en-GB", viewport={"width": 1024, "height": 768})
    page.add_init_script(COUNT_PRINTS)
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, live_server, "sophie")  # the seller admin
    page.goto(f"{live_server.url}/pos/")
    page.get_by_role("button", name=re.compile("Counter 1")).click()
    expect(page.locator(".pos-left").first).to_contain_text("10 in hand offline", timeout=10000)
    page.context.set_offline(True)
    page.get_by_role("button", name="Complimentary", exact=True).click()
    page.locator(".pos-category").first.click()
    page.get_by_role("button", name="Sell", exact=True).click()
    expect(page.locator("#pos-error")).to_contain_text("Say why")  # a reason is needed
    page.fill("#pos-reason", "the press")
    page.get_by_role("button", name="Sell", exact=True).click()
    expect(page.locator("#pos-queue")).to_have_text("1 to sync")
    page.context.set_offline(False)
    expect(page.locator("#pos-history .badge.synced")).to_have_count(1, timeout=15000)
    sale = CounterSale.objects.get()
    assert sale.method == "complimentary" and sale.order.total == 0 and sale.content["reason"] == "the press"
