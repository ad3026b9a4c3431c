"""The emergency sheet printed: one A4 page with a handful of events, without the back office around it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from helpcenter.models import SupportPhoneLine, SupportSettings
from ticketing.models import EmergencyContact

from ..ticketing.factories import EventFactory, OrganisationFactory, seller_admin
from .test_backoffice import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

A4_CONTENT = {"width": 680, "height": 1010}  # 210 × 297 mm less the 15 mm margins, in CSS pixels


def test_the_sheet_prints_on_one_a4_page(page, live_server, screenshot):
    contact = SupportSettings.load()
    contact.support_email = "support@guichet.example"
    contact.save()
    SupportPhoneLine.objects.create(settings=contact, country="FR", number="+33 7 57 91 62 28")
    organisation = OrganisationFactory(name="Théâtre des Célestins")
    soon = timezone.now() + timedelta(days=3)
    for n, (title, venue) in enumerate(
        [
            ("Le Misanthrope", "Grande salle"),
            ("Cyrano de Bergerac", "Grande salle"),
            ("Quatuor Ébène", "Célestine"),
            ("Contes pour enfants", "Célestine"),
            ("Nuit du jazz", "Grande salle"),
        ]
    ):
        EventFactory(
            organisation=organisation, title_en=title, venue=venue, starts_at=soon + timedelta(days=n)
        )
    for name, role, phone, notes in [
        ("Claire Martin", "Manager on duty", "+33612345678", "On site from 17:00"),
        ("Karim Benali", "Venue technician", "+33698765432", ""),
        ("Orange Pro", "Internet provider", "+33142000000", "Contract 55-1234"),
    ]:
        EmergencyContact.objects.create(
            organisation=organisation, name=name, role=role, phone=phone, notes=notes
        )
    seller_admin(organisation)

    sign_in(page, live_server, "sophie")
    page.goto(f"{live_server.url}/en/backoffice/emergency-sheet/")
    expect(page.get_by_role("heading", name="Emergency sheet")).to_be_visible()
    expect(
        page.get_by_role("navigation", name="Venues").get_by_role("link", name="Célestine")
    ).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "screen")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "nothing wider than a phone"
    screenshot(page, "phone")

    page.emulate_media(media="print")
    page.set_viewport_size(A4_CONTENT)
    expect(page.get_by_role("navigation", name="Back office")).to_be_hidden()
    expect(page.get_by_role("button", name="Print the sheet")).to_be_hidden()
    assert page.locator(".sheet-events img").count() == 5
    screenshot(page, "print-a4")
    pdf = page.pdf(format="A4")
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 1


def test_an_admin_adds_a_contact_and_a_bad_number_is_explained(page, live_server, screenshot):
    organisation = OrganisationFactory(name="Salle Rameau")
    EventFactory(organisation=organisation, title_en="Requiem", venue="Grande salle")
    EventFactory(organisation=organisation, title_en="Bach", venue="Foyer")
    seller_admin(organisation)
    sign_in(page, live_server, "sophie")
    page.goto(f"{live_server.url}/en/backoffice/emergency-sheet/")
    page.get_by_role("link", name="Edit whom to call").click()
    expect(page.get_by_text("No contacts yet.")).to_be_visible()
    page.get_by_label("Name").fill("Claire Martin")
    page.get_by_label("Role").fill("Manager on duty")
    page.get_by_label("Phone").fill("06 12")
    page.get_by_label("Venue").select_option("Foyer")
    page.get_by_role("button", name="Add the contact").click()
    expect(page.get_by_text("This phone number is not valid.")).to_be_visible()
    screenshot(page, "bad-phone")
    page.get_by_label("Phone").fill("06 12 34 56 78")
    page.get_by_role("button", name="Add the contact").click()
    expect(page.get_by_text("The contact is on the emergency sheet.")).to_be_visible()
    expect(page.get_by_role("cell", name="+33 6 12 34 56 78")).to_be_visible()
    screenshot(page, "contacts")
    page.get_by_role("link", name="See the sheet").click()
    page.get_by_role("navigation", name="Venues").get_by_role("link", name="Foyer").click()
    expect(page.get_by_role("cell", name="Claire Martin")).to_be_visible()
    expect(page.get_by_text("Bach")).to_be_visible()
    expect(page.get_by_text("Requiem")).to_have_count(0)
