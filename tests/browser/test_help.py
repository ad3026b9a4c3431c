"""The help centre in a real browser: French home → topic → article → German translation → German search."""

import re

import pytest
from playwright.sync_api import expect

from helpcenter.content import load_help_content
from helpcenter.models import ArticleFeedback, HelpArticlePage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_goes_from_the_french_home_to_an_article_switches_to_german_and_searches(
    open_page, live_server, screenshot
):
    load_help_content()
    french = HelpArticlePage.objects.get(key="scan-on-air", locale__language_code="fr")
    german = HelpArticlePage.objects.get(key="scan-on-air", locale__language_code="de")

    page = open_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/fr/help/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Centre d’aide")
    screenshot(page, "home-fr")

    page.get_by_role("link", name="Entrées et contrôle des billets").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Entrées et contrôle des billets")
    page.get_by_role("link", name=french.title).click()
    expect(page).to_have_url(f"{live_server.url}{french.url}")
    expect(page.get_by_role("heading", level=1)).to_have_text(french.title)

    page.get_by_role("navigation", name="Langue").get_by_role("link", name="DE").click()
    expect(page).to_have_url(f"{live_server.url}{german.url}")
    expect(page.get_by_role("heading", level=1)).to_have_text(german.title)
    expect(page.locator("html")).to_have_attribute("lang", "de")
    page.get_by_role("button", name="Ja").click()  # htmx: the answer replaces the question in place
    expect(page.get_by_text("Danke für Ihr Feedback.")).to_be_visible()
    assert ArticleFeedback.objects.filter(article=german, helpful=True).count() == 1
    screenshot(page, "article-de")

    page.get_by_role("searchbox").fill("Auszahlung nach der Veranstaltung")
    page.get_by_role("searchbox").press("Enter")
    expect(page).to_have_url(re.compile(r"/de/help/search/\?q=Auszahlung"))
    payout = HelpArticlePage.objects.get(key="seller-payout-delay", locale__language_code="de")
    result = page.locator(".help-results li").first
    expect(result).to_contain_text(payout.title)
    expect(result.locator("mark").first).to_be_visible()
    screenshot(page, "search-de")
    result.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(payout.title)


def test_help_pages_fit_a_phone(open_page, live_server, screenshot):
    load_help_content()
    article = HelpArticlePage.objects.get(key="contact-support", locale__language_code="en")
    page = open_page(viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}{article.url}")
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "article-phone")
