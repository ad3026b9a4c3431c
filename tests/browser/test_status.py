"""The status page in a real browser: an operator opens an incident on door scanning, and a seller working
in the back office sees the pop-up arrive without reloading, dismisses it, and sees it again at the next
update."""

import io
import re

import pytest
from playwright.sync_api import expect

from hub.models import Role
from statuspage import demo

from ..helpers import make_user
from ..ticketing.factories import OrganisationFactory, seller_admin
from .test_door import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_operator_opens_an_incident_on_door_scanning_and_the_seller_sees_the_pop_up_without_reload(
    open_page, live_server, settings, screenshot
):
    settings.SITE_URL = live_server.url
    settings.STATUS_NOTICE_POLL_SECONDS = 1
    demo.load(stdout=io.StringIO())
    make_user("olivia", Role.OPERATOR, first_name="Olivia")
    seller_admin(OrganisationFactory(name="Théâtre du Marché"))

    seller = open_page(viewport={"width": 1280, "height": 800})
    sign_in(seller, live_server, "sophie")
    expect(seller).to_have_url(re.compile(r"/fr/backoffice/"))
    seller.evaluate("window.notReloaded = true")  # gone if the page were reloaded
    expect(seller.locator(".notice-popup")).to_have_count(0)

    operator = open_page(viewport={"width": 1280, "height": 1000})
    sign_in(operator, live_server, "olivia")
    operator.goto(f"{live_server.url}/fr/backoffice/status/incidents/new/")
    operator.get_by_label("Titre").fill("Scanner saturé")
    operator.get_by_label("Impact").select_option("major")
    operator.get_by_label("Premier message").fill("Les scans prennent jusqu’à dix secondes.")
    operator.get_by_label("Contrôle d’accès / App-Scanner").select_option("degraded_performance")
    operator.get_by_label("Contrôle d’accès perturbé : App-Scanner et listing").check()
    operator.get_by_role("button", name="Aperçu").click()
    expect(operator.locator("#preview")).to_contain_text("Les scans prennent jusqu’à dix secondes.")
    screenshot(operator, "operator-preview")
    operator.get_by_role("button", name="Publier l’incident").click()
    expect(operator.get_by_text("L’incident est public.")).to_be_visible()

    popup = seller.get_by_role("dialog", name="Scanner saturé")
    expect(popup).to_be_visible(timeout=10_000)
    expect(popup).to_contain_text("Les scans prennent jusqu’à dix secondes.")
    expect(popup).to_contain_text("Contrôle d’accès / App-Scanner")
    popup.get_by_text("Contrôle d’accès perturbé : App-Scanner et listing").click()
    expect(popup).to_contain_text("ouvrez l’App-Scanner")
    assert seller.evaluate("window.notReloaded") is True
    screenshot(seller, "seller-popup")

    popup.get_by_role("button", name="Compris").click()
    expect(popup).to_have_count(0)
    banner = seller.locator(".notice-banner")
    expect(banner).to_contain_text("Scanner saturé")
    seller.wait_for_timeout(2500)  # a few polls later it stays dismissed
    expect(seller.locator(".notice-popup")).to_have_count(0)
    screenshot(seller, "seller-banner")

    operator.locator("#update-status").select_option("identified")
    operator.locator("#update-body").fill("Un serveur saturé a été redémarré.")
    operator.get_by_role("button", name="Publier la mise à jour").click()
    expect(operator.get_by_text("La mise à jour est publique.")).to_be_visible()

    popup = seller.get_by_role("dialog", name="Scanner saturé")
    expect(popup).to_be_visible(timeout=10_000)
    expect(popup).to_contain_text("Un serveur saturé a été redémarré.")
    assert seller.evaluate("window.notReloaded") is True

    public = open_page(viewport={"width": 390, "height": 844})
    public.goto(f"{live_server.url}/fr/status/")
    expect(public.get_by_text("Scanner saturé")).to_be_visible()
    expect(public.get_by_text("Un serveur saturé a été redémarré.")).to_be_visible()
    screenshot(public, "public-phone")
