"""The emergency sheet (P7): one printable page per organisation or venue, with the status page, the support
line, the App-Scanner, each event's online-purchase code, the box office's offline steps and whom to call."""

import base64
import io
import re
from datetime import timedelta

import pytest
import zxingcpp
from django.core.exceptions import ValidationError
from django.utils import timezone
from PIL import Image

from helpcenter.models import SupportPhoneLine, SupportSettings
from hub.models import AuditEntry, Role
from ticketing.models import EmergencyContact, Membership
from ticketing.services import emergency as services

from ..helpers import make_user
from .factories import EventFactory, OrganisationFactory, seller_admin

SHEET = "/en/backoffice/emergency-sheet/"  # English: the new sentences read the same before translation
CONTACTS = "/en/backoffice/emergency-sheet/contacts/"


@pytest.fixture
def support(db):
    contact = SupportSettings.load()
    contact.support_email = "support@guichet.example"
    contact.weekday_opens, contact.weekday_closes = "09:00", "18:00"
    contact.save()
    for order, (country, number) in enumerate([("BE", "+32 2 808 29 56"), ("CH", "+41 21 588 17 12")]):
        SupportPhoneLine.objects.create(settings=contact, country=country, number=number, sort_order=order)
    return contact


@pytest.fixture
def venue_org(db, settings):
    """A Swiss organisation with events in two venues: two on sale, one not on sale yet, one cancelled."""
    settings.SITE_URL = "https://tickets.example"
    organisation = OrganisationFactory(name="Théâtre du Lac", country="CH")
    EventFactory(organisation=organisation, title_fr="Hamlet", slug="hamlet", venue="Grande salle")
    EventFactory(organisation=organisation, title_fr="Jazz au bord", slug="jazz", venue="Terrasse")
    EventFactory(
        organisation=organisation,
        title_fr="Plus tard",
        venue="Terrasse",
        sales_start=timezone.now() + timedelta(days=2),
    )
    EventFactory(organisation=organisation, title_fr="Annulé", venue="Grenier", status="cancelled")
    return organisation


@pytest.fixture
def admin_client(client, venue_org):
    client.force_login(seller_admin(venue_org))
    return client


def member(organisation, username, role):
    user = make_user(username, role)
    Membership.objects.create(organisation=organisation, user=user, role=role)
    return user


def codes(html: str) -> list[str]:
    """Every QR code on the page, decoded."""
    found = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    return [zxingcpp.read_barcodes(Image.open(io.BytesIO(base64.b64decode(data))))[0].text for data in found]


def test_the_sheet_shows_everything_staff_need_with_codes_that_open_the_right_pages(
    admin_client, venue_org, support
):
    EmergencyContact.objects.create(
        organisation=venue_org, name="Marc Dubois", role="Régisseur", phone="+41791234567"
    )
    response = admin_client.get(SHEET)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Théâtre du Lac" in html and venue_org.account_id in html
    # the status page and its alerts, the App-Scanner, every event on sale (and only those)
    assert codes(html) == [
        "https://tickets.example/en/status/",
        "https://tickets.example/en/status/subscribe/",
        "https://tickets.example/en/scan/",
        f"https://tickets.example/en/o/{venue_org.slug}/hamlet/",
        f"https://tickets.example/en/o/{venue_org.slug}/jazz/",
    ]
    assert "Hamlet" in html and "Jazz au bord" in html and "Plus tard" not in html
    # the Swiss line only, with its hours and the weekend rule
    assert "+41 21 588 17 12" in html and "+32 2 808 29 56" not in html
    assert (
        "Monday to Friday, 09:00–18:00" in html
        and "Weekends: emergencies only" in html
        and "support@guichet.example" in html
    )
    # the offline steps, whom to call, the way to edit them
    steps = html[html.index('class="sheet-steps"') : html.index("</ol>")]
    assert steps.count("<li>") == 5 and "SOLD OFFLINE" in steps and "Let in" in steps
    assert "https://tickets.example/pos/" in html
    assert "Marc Dubois" in html and "+41 79 123 45 67" in html
    assert f'href="{CONTACTS}"' in html
    # one sheet per venue: its events and its contacts
    assert "?venue=Grande%20salle" in html and "?venue=Terrasse" in html and "Grenier" not in html


def test_a_venue_sheet_shows_that_venues_events_and_contacts(admin_client, venue_org, support):
    EmergencyContact.objects.create(
        organisation=venue_org, name="Partout", role="Direction", phone="+41791234567"
    )
    EmergencyContact.objects.create(
        organisation=venue_org, venue="Terrasse", name="Tina Terrasse", role="Bar", phone="+41791234568"
    )
    EmergencyContact.objects.create(
        organisation=venue_org, venue="Grande salle", name="Gilles Salle", role="Son", phone="+41791234569"
    )
    html = admin_client.get(SHEET, {"venue": "Terrasse"}).content.decode()
    assert codes(html)[3:] == [f"https://tickets.example/en/o/{venue_org.slug}/jazz/"]
    assert "Jazz au bord" in html and "Hamlet" not in html
    assert "Partout" in html and "Tina Terrasse" in html and "Gilles Salle" not in html
    assert admin_client.get(SHEET, {"venue": "Ailleurs"}).status_code == 404


def test_a_sheet_without_contacts_events_or_lines_says_so(client, db):
    organisation = OrganisationFactory(country="DE")
    client.force_login(seller_admin(organisation))
    html = client.get(SHEET).content.decode()
    assert "No contacts yet." in html and "No event is on sale online right now." in html
    assert "The support phone lines are not set up yet" in html
    assert len(codes(html)) == 3


def test_a_country_without_its_own_line_gets_every_line(client, support):
    organisation = OrganisationFactory(country="DE")
    client.force_login(seller_admin(organisation))
    html = client.get(SHEET).content.decode()
    assert "+41 21 588 17 12" in html and "+32 2 808 29 56" in html


def test_members_read_the_sheet_but_only_admins_edit_contacts(client, venue_org, support):
    contact = EmergencyContact.objects.create(
        organisation=venue_org, name="Marc", role="Régisseur", phone="+41791234567"
    )
    client.force_login(member(venue_org, "bob", Role.BOX_OFFICE))
    html = client.get(SHEET).content.decode()
    assert "Marc" in html and f'href="{CONTACTS}"' not in html
    assert client.get(CONTACTS).status_code == 403
    assert client.post(f"{CONTACTS}{contact.pk}/remove/").status_code == 403
    client.force_login(member(venue_org, "dora", Role.DOOR_STAFF))
    assert client.get(SHEET).status_code == 200
    assert EmergencyContact.objects.filter(pk=contact.pk).exists()


def test_outsiders_are_kept_out(client, venue_org):
    contact = EmergencyContact.objects.create(
        organisation=venue_org, name="Marc", role="Régisseur", phone="+41791234567"
    )
    response = client.get(SHEET)
    assert response.status_code == 302 and "/accounts/login/" in response.url
    client.force_login(make_user("nobody"))
    assert client.get(SHEET).status_code == 403
    other = OrganisationFactory()
    client.force_login(seller_admin(other, username="other"))
    assert "Marc" not in client.get(SHEET).content.decode()
    assert client.get(f"{CONTACTS}{contact.pk}/").status_code == 403
    assert (
        client.post(
            f"{CONTACTS}{contact.pk}/", {"name": "X", "role": "Y", "phone": "+41791234567"}
        ).status_code
        == 403
    )
    assert client.post(f"{CONTACTS}{contact.pk}/move/", {"to": "up"}).status_code == 403
    assert EmergencyContact.objects.get(pk=contact.pk).name == "Marc"


def test_an_admin_adds_edits_moves_and_removes_contacts(admin_client, venue_org):
    fields = {"name": "Marc Dubois", "role": "Régisseur", "phone": "079 123 45 67", "venue": "Terrasse"}
    response = admin_client.post(CONTACTS, fields)
    assert response.status_code == 302
    marc = EmergencyContact.objects.get()
    # read as a number of the organisation's country (CH), kept in E.164
    assert (marc.phone, marc.venue, marc.position) == ("+41791234567", "Terrasse", 0)
    admin_client.post(CONTACTS, {"name": "Internet", "role": "Fournisseur", "phone": "+33 1 23 45 67 89"})
    net = EmergencyContact.objects.get(name="Internet")
    assert net.position == 1 and net.venue == ""

    page = admin_client.get(f"{CONTACTS}{marc.pk}/").content.decode()
    assert 'value="Marc Dubois"' in page and '<option value="Terrasse" selected>' in page
    admin_client.post(
        f"{CONTACTS}{marc.pk}/", {**fields, "role": "Régie générale", "email": "marc@lac.example"}
    )
    marc.refresh_from_db()
    assert (marc.role, marc.email) == ("Régie générale", "marc@lac.example")

    admin_client.post(f"{CONTACTS}{net.pk}/move/", {"to": "up"})
    assert list(EmergencyContact.objects.values_list("name", flat=True)) == ["Internet", "Marc Dubois"]
    admin_client.post(f"{CONTACTS}{marc.pk}/remove/")
    assert list(EmergencyContact.objects.values_list("name", flat=True)) == ["Internet"]
    assert list(
        AuditEntry.objects.filter(action__startswith="emergency_contact.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "emergency_contact.added",
        "emergency_contact.added",
        "emergency_contact.changed",
        "emergency_contact.moved",
        "emergency_contact.removed",
    ]
    changed = AuditEntry.objects.get(action="emergency_contact.changed")
    assert changed.data["changes"]["role"] == ["Régisseur", "Régie générale"]


def test_a_bad_phone_or_venue_is_refused_and_changes_nothing(admin_client, venue_org):
    response = admin_client.post(CONTACTS, {"name": "Marc", "role": "Régisseur", "phone": "12"})
    html = response.content.decode()
    assert response.status_code == 200 and "This phone number is not valid" in html
    assert not EmergencyContact.objects.exists()

    marc = EmergencyContact.objects.create(
        organisation=venue_org, name="Marc", role="Régie", phone="+41791234567"
    )
    response = admin_client.post(
        f"{CONTACTS}{marc.pk}/", {"name": "Marco", "role": "Régie", "phone": "+41 79"}
    )
    assert response.status_code == 200 and "This phone number is not valid" in response.content.decode()
    marc.refresh_from_db()
    assert (marc.name, marc.phone) == ("Marc", "+41791234567")

    with pytest.raises(ValidationError) as refused:
        services.add_emergency_contact(
            actor=venue_org.memberships.get().user,
            organisation=venue_org,
            name="Ailleurs",
            role="x",
            phone="+41791234567",
            venue="Salle inconnue",
        )
    assert "venue" in refused.value.message_dict
    assert not AuditEntry.objects.filter(action__startswith="emergency_contact.").exists()
