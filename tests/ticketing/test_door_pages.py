"""What door staff and organisers see: the scan page, the App-Scanner, Scan-On-Air, the listings."""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from openpyxl import load_workbook

from hub.models import AuditEntry, OutboundMessage, Role
from ticketing import listings
from ticketing.models import Event, ListingDispatch, Membership, Presence, Scan, Ticket
from ticketing.services import listings as listing_service
from ticketing.services import orders

from ..helpers import make_user, requires_postgres, run_concurrently
from .factories import CategoryFactory, OrganisationFactory, seller_admin

pytestmark = pytest.mark.django_db


def sell(category, names):
    order = orders.place_order(
        event_id=category.event_id,
        buyer_email="buyer@example.org",
        language="fr",
        seats=[orders.Seat(category.pk, first, last) for first, last in names],
    )
    orders.confirm_paid(order, timezone.now(), send_tickets=False)
    return list(order.tickets.order_by("number"))


def door_staff(organisation, username="dora"):
    user = make_user(username, Role.DOOR_STAFF)
    Membership.objects.create(organisation=organisation, user=user, role="door_staff")
    return user


@pytest.fixture
def ticket(db):
    return sell(CategoryFactory(), [("Alice", "Durand")])[0]


def test_a_get_changes_nothing_and_the_page_confirms_with_a_post(client, ticket):
    client.force_login(door_staff(ticket.event.organisation))
    page = client.get(f"/t/{ticket.secret}/").content.decode()
    assert 'hx-trigger="load"' in page and f'action="/t/{ticket.secret}/scan/"' in page
    assert "<noscript>" in page, "a plain button works without JavaScript"
    assert not Scan.objects.exists() and Ticket.objects.get().presence == Presence.ABSENT

    nonce = re.search(r'name="nonce" value="(\w+)"', page).group(1)
    green = client.post(f"/t/{ticket.secret}/scan/", {"nonce": nonce, "gate": "Nord"}, HTTP_HX_REQUEST="true")
    html = green.content.decode()
    assert 'class="verdict green"' in html and "DURAND" in html and ticket.number in html
    retry = client.post(
        f"/t/{ticket.secret}/scan/", {"nonce": nonce}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'class="verdict green"' in retry, "the same POST again is not a false RED"
    red = client.post(f"/t/{ticket.secret}/scan/", {"nonce": "another"}).content.decode()
    assert 'class="verdict red"' in red and "Nord" in red
    exit_nonce = re.search(r'name="nonce" value="(\w+)"', red).group(1)
    out = client.post(
        f"/t/{ticket.secret}/scan/", {"direction": "exit", "nonce": exit_nonce}
    ).content.decode()
    assert 'data-result="exited"' in out
    assert Ticket.objects.get().presence == Presence.OUT


def test_buyers_and_strangers_see_the_ticket_not_the_scan_page(client, ticket):
    page = client.get(f"/t/{ticket.secret}/").content.decode()
    assert "eticket" in page and "hx-trigger" not in page
    client.force_login(make_user("buyer"))
    assert "eticket" in client.get(f"/t/{ticket.secret}/").content.decode()
    assert client.post(f"/t/{ticket.secret}/scan/").status_code == 403


def test_door_staff_of_another_organisation_get_red(client, ticket):
    client.force_login(door_staff(OrganisationFactory(), username="elsewhere"))
    html = client.post(f"/t/{ticket.secret}/scan/", {"nonce": "n1"}).content.decode()
    assert 'data-result="wrong_event"' in html and "DURAND" not in html
    assert Ticket.objects.get().presence == Presence.ABSENT


def test_undo_from_the_scan_page(client, ticket):
    client.force_login(door_staff(ticket.event.organisation))
    client.post(f"/t/{ticket.secret}/scan/", {"nonce": "n1"})
    scan_id = Scan.objects.get().pk
    html = client.post(f"/scans/{scan_id}/undo/").content.decode()
    assert 'data-result="undone"' in html
    assert Ticket.objects.get().presence == Presence.ABSENT


def test_app_scanner_page_and_manual_entry(client, ticket):
    client.force_login(door_staff(ticket.event.organisation))
    page = client.get("/fr/scan/").content.decode()
    assert "jsQR.js" in page and 'id="camera-video"' in page and ticket.event.title in page
    html = client.post(
        "/fr/scan/check/",
        {"code": ticket.number.lower(), "gate": "Sud", "nonce": "a", "event": ticket.event_id},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert 'class="verdict green"' in html
    other = sell(CategoryFactory(event__organisation=ticket.event.organisation), [("Bob", "Martin")])[0]
    html = client.post(
        "/fr/scan/check/", {"code": other.secret, "nonce": "b", "event": ticket.event_id}
    ).content.decode()
    assert 'data-result="wrong_event"' in html and other.event.title in html


def test_the_app_scanner_admits_a_typed_number_but_not_a_number_read_by_the_camera(client, ticket):
    client.force_login(door_staff(ticket.event.organisation))
    camera = client.post(
        "/fr/scan/check/", {"code": ticket.number, "source": "camera", "nonce": "c"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'data-result="unknown"' in camera, "a QR code must carry the secret"
    typed = client.post(
        "/fr/scan/check/", {"code": ticket.number, "source": "typed", "nonce": "t"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'data-result="admitted"' in typed
    assert Ticket.objects.get().presence == Presence.INSIDE


def test_undo_of_an_unknown_scan_and_a_bad_event_are_client_errors(client, ticket):
    client.force_login(door_staff(ticket.event.organisation))
    assert client.post("/scans/987654/undo/").status_code == 404
    response = client.post("/fr/scan/check/", {"code": ticket.secret, "event": "abc", "nonce": "x"})
    assert response.status_code == 400
    assert not Scan.objects.exists() and Ticket.objects.get().presence == Presence.ABSENT


def test_door_staff_see_only_the_scanner(client, ticket):
    door = door_staff(ticket.event.organisation)
    client.force_login(door)
    assert client.get("/fr/backoffice/")["Location"] == "/fr/scan/"
    assert client.get(f"/fr/backoffice/events/{ticket.event_id}/entries/").status_code == 403
    assert client.get(f"/fr/backoffice/events/{ticket.event_id}/listing.xlsx").status_code == 403


def test_scan_on_air_counts_filters_and_manual_changes(client):
    category = CategoryFactory(quota=60)
    tickets = []
    for first in (0, 10):  # two orders: at most 10 tickets each
        tickets += sell(category, [(f"P{i}", f"Nom{i:02d}") for i in range(first, first + 10)])
    tickets += sell(category, [("Zoé", "Zidane")])
    admin = seller_admin(category.event.organisation)
    client.force_login(admin)
    from ticketing.services import scanning

    for t in tickets[:5]:
        scanning.redeem(code=t.secret, direction="entry", organisation_id=category.event.organisation_id)
    scanning.redeem(code=tickets[0].secret, direction="exit", organisation_id=category.event.organisation_id)
    html = client.get(f"/fr/backoffice/events/{category.event_id}/entries/").content.decode()
    assert re.search(r'id="count-present">4<', html) and re.search(r'id="count-out">1<', html)
    assert re.search(r'id="count-absent">16<', html) and re.search(r'id="count-sold">21<', html)
    assert 'hx-trigger="every 60s"' in html
    found = client.get(f"/fr/backoffice/events/{category.event_id}/entries/?q=zidane").content.decode()
    assert "ZIDANE" in found and "NOM01" not in found
    assert (
        "NOM00"
        in client.get(f"/fr/backoffice/events/{category.event_id}/entries/?presence=out").content.decode()
    )

    row = client.post(
        f"/fr/backoffice/tickets/{tickets[-1].pk}/presence/", {"presence": "inside"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert row.startswith("\n<tr") or row.lstrip().startswith("<tr")
    assert Ticket.objects.get(pk=tickets[-1].pk).presence == Presence.INSIDE
    assert AuditEntry.objects.filter(action="presence.changed", actor=admin).exists()
    assert (
        client.post(
            f"/fr/backoffice/tickets/{tickets[-1].pk}/presence/", {"presence": "teleported"}
        ).status_code
        == 400
    )
    assert (
        "every 30"
        in client.get(f"/fr/backoffice/events/{category.event_id}/entries/?refresh=30").content.decode()
    )


def test_scan_on_air_stays_cheap_with_many_tickets(client, django_assert_max_num_queries):
    category = CategoryFactory(quota=500, event__capacity=500)
    order = sell(category, [("A", "A")])[0].order
    Ticket.objects.bulk_create(
        Ticket(
            order=order,
            event=category.event,
            category=category,
            number=f"BULK-{i}",
            secret=f"bulk-secret-{i:06d}-padding",
            first_name="X",
            last_name=f"N{i:04d}",
            price=Decimal("25"),
            vat_rate=Decimal("0.055"),
            status="valid",
            presence=Presence.INSIDE if i % 2 else Presence.ABSENT,  # entered ones show when and where
            first_entry_at=timezone.now() if i % 2 else None,
            first_entry_gate="Porte A" if i % 2 else "",
        )
        for i in range(400)
    )
    client.force_login(seller_admin(category.event.organisation))
    with django_assert_max_num_queries(12):
        assert client.get(f"/fr/backoffice/events/{category.event_id}/entries/").status_code == 200


def test_listing_xlsx_matches_the_html_and_escapes_formulas(client):
    category = CategoryFactory(price=Decimal("25.00"))
    sell(category, [("Alice", "Durand"), ("=cmd()", "+Evil"), ("Bob", "@home")])
    client.force_login(seller_admin(category.event.organisation))
    xlsx = client.get(f"/fr/backoffice/events/{category.event_id}/listing.xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:H4"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Numéro de billet",
        "Nom",
        "Prénom",
        "Catégorie",
        "Commande",
        "E-mail de l’acheteur",
        "Prix",
        "Statut",
    )
    assert [r[1] for r in rows[1:]] == ["'+Evil", "'@home", "Durand"], "sorted by name, formulas escaped"
    assert rows[1][2] == "'=cmd()"
    assert all(sheet.cell(row=r, column=c).data_type == "s" for r in range(2, 5) for c in (2, 3))

    html = client.get(f"/fr/backoffice/events/{category.event_id}/listing.html").content.decode()
    html_rows = re.findall(r"<tr><td class=tick></td>(.*?)</tr>", html)
    assert len(html_rows) == 3
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in html_rows]
    assert [c[0] for c in cells] == [r[0] for r in rows[1:]], "the same rows in the same order"
    assert cells[0][1:3] == ["+Evil", "=cmd()"], "in HTML a formula is just text"
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/js/guichet.js" defer>'], "no other"


def test_listing_goes_out_once_around_the_end_of_sales(db):
    sales_end = timezone.now() + timedelta(hours=1)
    category = CategoryFactory(event__sales_end=sales_end, event__starts_at=sales_end + timedelta(hours=1))
    sell(category, [("Alice", "Durand")])
    assert listing_service.dispatch_due_listings() == 0, "not yet: more than ten minutes before the end"
    with time_machine.travel(sales_end - timedelta(minutes=9)):
        assert listing_service.dispatch_due_listings() == 1
        assert listing_service.dispatch_due_listings() == 0
    with time_machine.travel(sales_end + timedelta(minutes=5)):
        assert listing_service.dispatch_due_listings() == 0
    email = OutboundMessage.objects.get(idempotency_key=f"listing:{category.event_id}")
    assert email.recipient == category.event.organisation.contact_email
    assert sorted(a.filename.rsplit(".", 1)[1] for a in email.attachments.all()) == ["html", "xlsx"]
    assert ListingDispatch.objects.get().delay_seconds == 0


def test_a_listing_missed_while_down_goes_out_at_the_next_run_and_the_delay_is_recorded(db):
    sales_end = timezone.now() - timedelta(hours=2)
    category = CategoryFactory(
        event__sales_end=sales_end,
        event__starts_at=sales_end + timedelta(minutes=30),
        event__sales_start=sales_end - timedelta(days=3),
    )
    assert listing_service.dispatch_due_listings() == 1
    dispatch = ListingDispatch.objects.get(event=category.event)
    assert 6500 < dispatch.delay_seconds < 6700, "two hours late minus the ten-minute window"


def test_a_late_listing_says_when_sales_ended_not_that_they_end_now(db):
    """Issue 12: a listing caught up four days late said the sale "ends now"."""
    category = CategoryFactory(event__title_fr="Nuit du Jazz")
    sell(category, [("Alice", "Durand")])
    sales_end = timezone.now() - timedelta(days=4)
    Event.objects.filter(pk=category.event_id).update(
        sales_start=sales_end - timedelta(days=30),
        sales_end=sales_end,
        starts_at=sales_end + timedelta(hours=2),
        ends_at=sales_end + timedelta(hours=4),
    )
    admin = seller_admin(category.event.organisation)
    admin.language = "en"
    admin.save(update_fields=["language"])
    assert listing_service.dispatch_due_listings() == 1
    body = OutboundMessage.objects.get(idempotency_key=f"listing:{category.event_id}").body
    with translation.override("en"), timezone.override(category.event.time_zone):
        ended = date_format(timezone.localtime(sales_end), "l j F Y, H:i")
    assert f"Ticket sales for Nuit du Jazz ended on {ended}. Attached is the listing of the 1 ticket" in body
    assert "end now" not in body


def test_a_listing_on_time_says_sales_end_now(db):
    sales_end = timezone.now() + timedelta(minutes=5)
    category = CategoryFactory(
        event__sales_end=sales_end,
        event__starts_at=sales_end + timedelta(hours=1),
        event__title_fr="Nuit du Jazz",
    )
    sell(category, [("Alice", "Durand"), ("Bob", "Martin")])
    assert listing_service.dispatch_due_listings() == 1
    body = OutboundMessage.objects.get(idempotency_key=f"listing:{category.event_id}").body
    assert "La vente des billets pour Nuit du Jazz se termine maintenant" in body, "in French by default"


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_dispatch_runs_racing_across_the_sales_end_send_one_email():
    sales_end = timezone.now() + timedelta(minutes=30)
    with transaction.atomic():
        category = CategoryFactory(
            event__sales_end=sales_end, event__starts_at=sales_end + timedelta(hours=1)
        )
        sell(category, [("Alice", "Durand"), ("Bob", "Martin")])
    assert listing_service.dispatch_due_listings() == 0
    with time_machine.travel(sales_end - timedelta(minutes=2)):
        results = run_concurrently(listing_service.dispatch_due_listings, 2)
    assert sorted(results) == [0, 1]
    emails = OutboundMessage.objects.filter(idempotency_key__startswith="listing:")
    assert emails.count() == 1 and emails.get().attachments.count() == 2


def test_listing_rows_function_is_the_single_source(db):
    category = CategoryFactory()
    sell(category, [("Alice", "Durand")])
    (row,) = list(listings.rows(category.event))
    assert row[1:4] == ["Durand", "Alice", category.name] and row[7] == "Non présent"
