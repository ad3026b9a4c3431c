"""What a visitor meets on a phone and a desktop: the home page leads to the events on sale and the status
page, search boxes show their whole placeholder, and a very long search stays inside the page."""

import pytest
from playwright.sync_api import expect

from ..ticketing.factories import CategoryFactory, seller_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# How much wider the placeholder is than the room the input gives its text (0 when it is read whole).
PLACEHOLDER_CUT = """
(selector) => {
  const input = document.querySelector(selector), style = getComputedStyle(input);
  const context = document.createElement("canvas").getContext("2d");
  context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return Math.max(0, Math.ceil(context.measureText(input.placeholder).width - room));
}
"""


def test_home_search_boxes_and_a_long_query_on_a_phone_and_a_desktop(open_page, live_server, screenshot):
    category = CategoryFactory(event__title_fr="Nuit du Jazz")
    event = category.event
    seller_admin(event.organisation)

    page = open_page(viewport=PHONE)
    page.goto(f"{live_server.url}/fr/")
    page.locator("main").get_by_role("link", name="État des services").click()
    expect(page).to_have_url(f"{live_server.url}/fr/status/")
    page.go_back()
    page.locator("main").get_by_role("link", name="Événements en vente").click()
    page.get_by_role("link", name="Nuit du Jazz").click()
    expect(page).to_have_url(f"{live_server.url}/fr/o/{event.organisation.slug}/{event.slug}/")

    query = "x" * 3000
    for language in ("fr", "de", "en"):
        for viewport in (PHONE, DESKTOP):
            page.set_viewport_size(viewport)
            page.goto(f"{live_server.url}/{language}/help/search/?q={query}")
            assert page.evaluate(PLACEHOLDER_CUT, "#help-q") == 0, (language, viewport)
            heading = page.locator("main h1")
            assert heading.evaluate("h => h.scrollWidth <= h.clientWidth"), "the query wraps"
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    screenshot(page, "long-query")

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/fr/accounts/login/")
    page.fill("#id_username", "sophie")
    page.fill("#id_password", "correct-horse-battery")
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/fr/backoffice/")
    for language in ("fr", "de", "en"):
        for viewport in (PHONE, DESKTOP):
            page.set_viewport_size(viewport)
            page.goto(f"{live_server.url}/{language}/backoffice/events/{event.pk}/entries/")
            assert page.evaluate(PLACEHOLDER_CUT, "#q") == 0, (language, viewport)
    screenshot(page, "scan-on-air")
