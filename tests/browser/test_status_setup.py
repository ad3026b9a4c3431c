"""Setting the status page up in a real browser, from nothing: an operator creates a group and a component,
readers see it on the public page in French and in German, then the operator retires it."""

import pytest
from playwright.sync_api import expect

from hub.models import Role

from ..helpers import make_user
from .test_door import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def save(page):
    page.locator("main form.card button[type=submit]").click()


def test_operator_creates_a_group_and_a_component_that_readers_see_in_their_language_then_retires_it(
    open_page, live_server, settings, screenshot
):
    settings.SITE_URL = live_server.url
    make_user("olivia", Role.OPERATOR, first_name="Olivia")
    operator = open_page(viewport={"width": 1280, "height": 1000})
    sign_in(operator, live_server, "olivia")

    operator.goto(f"{live_server.url}/fr/backoffice/status/components/")
    expect(operator.locator(".card.empty")).to_be_visible()
    operator.locator('a[href="/fr/backoffice/status/groups/new/"]').click()
    operator.fill("#id_slug", "sales")
    operator.fill("#id_name_fr", "Ventes")
    operator.fill("#id_name_de", "Verkauf")
    save(operator)
    expect(operator).to_have_url(f"{live_server.url}/fr/backoffice/status/components/")

    operator.locator('a[href="/fr/backoffice/status/components/new/"]').click()
    operator.fill("#id_slug", "group-sales")
    save(operator)  # nothing but a slug: the French name is missing
    expect(operator.locator("#id_name_fr[aria-invalid=true]")).to_be_visible()
    operator.fill("#id_name_fr", "Ventes aux groupes")
    operator.fill("#id_name_de", "Gruppenverkauf")
    operator.fill("#id_description_de", "Reservierungen für Schulklassen und Vereine")
    operator.select_option("#id_group", label="Ventes")
    operator.check("input[name=audience][value=seller_admin]")
    screenshot(operator, "component-form")
    save(operator)
    expect(operator.locator("main")).to_contain_text("Ventes aux groupes")
    screenshot(operator, "components")

    reader = open_page(viewport={"width": 390, "height": 844})
    reader.goto(f"{live_server.url}/fr/status/")
    expect(reader.get_by_text("Ventes aux groupes")).to_be_visible()
    expect(reader.locator(".group-name")).to_have_text(["Ventes"])
    reader.goto(f"{live_server.url}/de/status/")
    expect(reader.get_by_text("Gruppenverkauf")).to_be_visible()
    expect(reader.get_by_text("Reservierungen für Schulklassen und Vereine")).to_be_visible()
    expect(reader.locator(".group-name")).to_have_text(["Verkauf"])
    screenshot(reader, "public-de")

    operator.goto(f"{live_server.url}/fr/backoffice/status/components/group-sales/edit/")
    operator.check("#id_retired")
    save(operator)
    expect(operator).to_have_url(f"{live_server.url}/fr/backoffice/status/components/")

    reader.goto(f"{live_server.url}/de/status/")
    expect(reader.get_by_text("Gruppenverkauf")).to_have_count(0)
    reader.goto(f"{live_server.url}/fr/status/")
    expect(reader.get_by_text("Ventes aux groupes")).to_have_count(0)
