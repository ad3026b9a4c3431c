import re

import pytest
from playwright.sync_api import expect

from hub.models import Role

from ..helpers import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username, password="correct-horse-battery"):
    page.goto(f"{live_server.url}/fr/accounts/login/")
    page.get_by_label("Nom d’utilisateur ou e-mail").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_operator_signs_in_switches_language_and_uses_the_menu(page, live_server, screenshot):
    make_user("olivia", Role.OPERATOR, first_name="Olivia")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url)
    expect(page).to_have_url(re.compile(r"/fr/$"))
    screenshot(page, "home-fr")

    sign_in(page, live_server, "olivia")
    expect(page).to_have_url(re.compile(r"/fr/backoffice/$"))
    expect(page.get_by_role("heading", name="Bonjour Olivia")).to_be_visible()
    nav = page.get_by_role("navigation", name="Back-office")
    expect(nav.get_by_role("link", name="Boîte d’envoi")).to_be_visible()
    expect(nav.get_by_role("link", name="Journal d’audit")).to_be_visible()
    assert page.locator("#incident-slot").count() == 1
    assert page.evaluate("typeof window.htmx") == "object"
    screenshot(page, "dashboard-fr")

    page.get_by_role("button", name="DE", exact=True).click()
    expect(page).to_have_url(re.compile(r"/de/backoffice/$"))
    expect(page.get_by_role("heading", name="Hallo Olivia")).to_be_visible()
    page.get_by_role("navigation", name="Backoffice").get_by_role("link", name="Audit-Protokoll").click()
    expect(page.get_by_role("heading", name="Audit-Protokoll")).to_be_visible()
    expect(page.get_by_text("user.language_changed")).to_be_visible()
    screenshot(page, "audit-de")

    page.set_viewport_size({"width": 390, "height": 844})
    menu = page.get_by_role("button", name="Menü")
    expect(menu).to_be_visible()
    nav_link = page.get_by_role("navigation", name="Backoffice").get_by_role("link", name="Postausgang")
    expect(nav_link).to_be_hidden()
    menu.click()
    expect(nav_link).to_be_visible()
    screenshot(page, "menu-phone-de")
    nav_link.click()
    expect(page.get_by_role("heading", name="Postausgang")).to_be_visible()
    screenshot(page, "outbox-phone-de")


def test_door_staff_see_no_back_office_pages(page, live_server, screenshot):
    make_user("dounia", Role.DOOR_STAFF)
    sign_in(page, live_server, "dounia")
    expect(page).to_have_url(re.compile(r"/fr/scan/$"))  # door staff land on the scanner
    assert page.get_by_role("link", name="Boîte d’envoi").count() == 0
    response = page.goto(f"{live_server.url}/fr/backoffice/outbox/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Accès refusé")).to_be_visible()
    screenshot(page, "door-403")


def test_wrong_password_then_rate_limit_in_the_browser(page, live_server, settings):
    settings.LOGIN_RATE_LIMIT = 2
    make_user("olivia", Role.OPERATOR)
    for _ in range(2):
        sign_in(page, live_server, "olivia", password="wrong-password")
        expect(page.get_by_text("ne correspondent pas")).to_be_visible()
    sign_in(page, live_server, "olivia")
    expect(page.get_by_text("Trop de tentatives de connexion échouées")).to_be_visible()
