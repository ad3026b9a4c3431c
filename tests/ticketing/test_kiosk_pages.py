"""Kiosk mode's pages: the kiosks in the back office (Marketing tools, seller admins only), the pairing page
(rate-limited, a signed HttpOnly cookie), and the kiosk's screens, which an unpaired device cannot use."""

from decimal import Decimal

import pytest
from django.test import Client

from hub.models import Role
from ticketing.models import Event, Order, Station
from ticketing.services import kiosks
from ticketing.views.kiosk import COOKIE

from .factories import CategoryFactory, EventFactory, member, seller_admin

pytestmark = pytest.mark.django_db
TOOLS = "/en/backoffice/marketing/"


@pytest.fixture
def category():
    return CategoryFactory(quota=10, event__capacity=12, price=Decimal("30.00"), name_en="Standing")


@pytest.fixture
def kiosk(category):
    manager = seller_admin(category.event.organisation, username="kim")
    return kiosks.create_kiosk(actor=manager, organisation=category.event.organisation, name="Hall")


@pytest.fixture
def device(kiosk):
    """A browser paired with the kiosk, through the pairing page."""
    device = Client()
    code = kiosks.issue_pairing_code(actor=kiosk.created_by, kiosk=kiosk)
    assert device.post("/en/kiosk/pair/", {"code": code}).status_code == 302
    return device


def order_form(category, pay, quantity=2, **changes):
    return {
        f"q_{category.pk}": quantity,
        "email": "lena@example.org",
        "name": "Lena Weber",
        "pay": pay,
        **changes,
    }


# --- the back office --------------------------------------------------------------------------------------


def test_a_seller_admin_creates_a_kiosk_sees_its_code_once_issues_another_and_revokes_it(client, category):
    client.force_login(seller_admin(category.event.organisation))
    page = client.get(TOOLS).content.decode()
    assert "No kiosk yet." in page and "Poster" in page  # the event posters are listed there too
    created = client.post(TOOLS, {"name": "Entrance hall"}).content.decode()
    kiosk = Station.objects.get(name="Entrance hall")
    assert kiosk.kind == "kiosk" and 'id="pairing-code">' in created and "/en/kiosk/pair/" in created
    code = created.split('id="pairing-code">')[1][:9]
    again = client.get(TOOLS).content.decode()
    assert "Entrance hall" in again and "Code waiting" in again and code not in again
    second = client.post(f"{TOOLS}kiosks/{kiosk.pk}/code/").content.decode()
    assert 'id="pairing-code">' in second and code not in second
    client.post(f"{TOOLS}kiosks/{kiosk.pk}/revoke/")
    kiosk.refresh_from_db()
    assert kiosk.revoked_at is not None and "Revoked" in client.get(TOOLS).content.decode()
    assert "This field is required" in client.post(TOOLS, {"name": ""}).content.decode()


def test_only_the_organisations_seller_admins_see_and_manage_its_kiosks(client, kiosk, category):
    client.force_login(member(category.event.organisation, Role.BOX_OFFICE))
    assert client.get(TOOLS).status_code == 403
    client.force_login(seller_admin(EventFactory().organisation, "other"))
    assert "Hall" not in client.get(TOOLS).content.decode()
    assert client.post(f"{TOOLS}kiosks/{kiosk.pk}/code/").status_code == 403
    assert client.post(f"{TOOLS}kiosks/{kiosk.pk}/revoke/").status_code == 403
    assert Client().get(TOOLS).status_code == 302  # to sign in


# --- pairing ----------------------------------------------------------------------------------------------


def test_pairing_sets_a_signed_httponly_cookie_and_a_wrong_code_is_refused_then_rate_limited(kiosk):
    device = Client()
    wrong = device.post("/en/kiosk/pair/", {"code": "ABCD-EFGH"})
    assert wrong.status_code == 200 and "not valid or has expired" in wrong.content.decode()
    code = kiosks.issue_pairing_code(actor=kiosk.created_by, kiosk=kiosk)
    paired = device.post("/en/kiosk/pair/", {"code": code.lower()})
    assert paired.status_code == 302 and paired.url == "/en/kiosk/"
    cookie = paired.cookies[COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["max-age"] > 365 * 86400
    assert cookie.value.startswith("gki_") and ":" in cookie.value  # signed
    assert device.get("/en/kiosk/").status_code == 200
    forged = Client()
    forged.cookies[COOKIE] = cookie.value.split(":")[0]  # the token without its signature
    assert forged.get("/en/kiosk/").status_code == 302
    for _attempt in range(9):
        Client().post("/en/kiosk/pair/", {"code": "WRONG123"})
    limited = Client().post("/en/kiosk/pair/", {"code": "WRONG123"}).content.decode()
    assert "Too many attempts" in limited


def test_an_unpaired_or_revoked_device_is_sent_to_pair_and_its_posts_are_refused(device, kiosk, category):
    stranger = Client()
    for path in ("/fr/kiosk/", f"/fr/kiosk/events/{category.event_id}/", "/fr/kiosk/orders/ABCDEFGH/"):
        answer = stranger.get(path)
        assert answer.status_code == 302 and answer.url == "/fr/kiosk/pair/"
    assert (
        stranger.post(f"/fr/kiosk/events/{category.event_id}/", order_form(category, "counter")).status_code
        == 403
    )
    assert not Order.objects.exists()
    kiosks.revoke_kiosk(actor=kiosk.created_by, kiosk=kiosk)
    assert device.get("/en/kiosk/").url == "/en/kiosk/pair/"


# --- the kiosk's screens ----------------------------------------------------------------------------------


def test_the_start_screen_shows_the_organisations_events_on_sale_only(device, category):
    organisation = category.event.organisation
    EventFactory(organisation=organisation, title_en="Draft night", status=Event.Status.DRAFT)
    CategoryFactory(event__title_en="Somebody else's gig")
    page = device.get("/en/kiosk/").content.decode()
    assert category.event.title in page and "from €30.00" in page
    assert "Draft night" not in page and "Somebody else" not in page
    assert 'id="kiosk-home"' in page and "data-kiosk-idle=" in page
    assert "chatbot" not in page and "site-nav" not in page  # no site navigation on a kiosk
    for code in ("fr", "de", "en"):
        assert f'href="/{code}/kiosk/"' in page


def test_buying_to_pay_at_the_counter_shows_the_reference_and_its_qr_code(device, kiosk, category):
    page = device.get(f"/de/kiosk/events/{category.event_id}/").content.decode()
    assert "Standing" not in page and "Freie Platzwahl" in page and 'max="10"' in page
    placed = device.post(f"/de/kiosk/events/{category.event_id}/", order_form(category, "counter"))
    order = Order.objects.get()
    assert placed.url == f"/de/kiosk/orders/{order.reference}/"
    assert (order.station, order.channel, order.language, order.total) == (
        kiosk,
        "kiosk",
        "de",
        Decimal("60.00"),
    )
    shown = device.get(placed.url).content.decode()
    assert f'id="kiosk-reference">{order.reference}<' in shown and 'src="data:image/png;base64,' in shown
    assert Client().get(placed.url).status_code == 302  # another device does not see it


def test_bad_input_on_the_order_form_is_explained_and_changes_nothing(device, category):
    url = f"/en/kiosk/events/{category.event_id}/"
    for form, message in (
        (order_form(category, "counter", quantity=0), "Choose at least one ticket."),
        (order_form(category, "counter", email="nope"), "Enter a valid email address."),
        (order_form(category, "counter", quantity=11), "less than or equal to 10"),
    ):
        assert message in device.post(url, form).content.decode()
    assert not Order.objects.exists()
    assert device.get(f"/en/kiosk/events/{CategoryFactory().event_id}/").status_code == 404  # not its own


def test_paying_by_card_goes_to_the_providers_page_and_comes_back_to_the_kiosk(device, category, settings):
    settings.SITE_URL = "http://testserver"
    url = f"/en/kiosk/events/{category.event_id}/"
    placed = device.post(url, order_form(category, "card"))
    assert placed.status_code == 302 and "/demobank/pay/" in placed.url
    boosted = device.post(url, order_form(category, "card", quantity=1), headers={"HX-Request": "true"})
    assert "/demobank/pay/" in boosted.headers["HX-Redirect"]  # a full page load, not swapped into the kiosk
    order = Order.objects.filter(total=Decimal("60.00")).get()
    back = device.get(f"/en/kiosk/orders/{order.reference}/?card=0").content.decode()
    assert "The card payment was not made" in back and "I pay at the counter" in back
    assert device.post(f"/en/kiosk/orders/{order.reference}/", {"pay": "counter"}).status_code == 302
    confirming = device.get(f"/en/kiosk/orders/{order.reference}/?paid=1").content.decode()
    assert "We are confirming your payment" in confirming and 'hx-trigger="every 2s"' in confirming
