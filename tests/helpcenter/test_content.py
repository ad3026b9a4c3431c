"""The help centre's content: every key live in fr/de/en, linked translations, idempotent loading."""

import re
from io import StringIO
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.utils.html import escape
from wagtail.models import Page, Revision

from helpcenter.content import CONTENT_FILE, load_help_content, read_content
from helpcenter.models import HelpArticlePage

REQUIRED_KEYS = [
    "seller-account-activation",
    "listing-delivery",
    "commission",
    "seller-payout-delay",
    "scan-on-air",
    "scanning-tickets",
    "listing-vs-scan-on-air",
    "lost-ticket-email",
    "payment-security",
    "cheque-payment",
    "status-page",
    "contact-support",
    "contact-hours",
    "urgent-issues",
    "escalation-account-manager",
    "pos-outage",
    "app-scanner",
    "online-booking-unavailable",
    "emails-not-sent",
    "proactive-tips",
]

pytestmark = pytest.mark.django_db


def test_demo_data_on_a_fresh_database_puts_every_key_live_in_three_languages(client):
    call_command("demo_data", stdout=StringIO())
    for language in ("fr", "de", "en"):
        articles = client.get(f"/api/v1/help/articles/?lang={language}").json()
        keys = {article["key"] for article in articles}
        assert set(REQUIRED_KEYS) <= keys, set(REQUIRED_KEYS) - keys
        for article in articles:
            assert article["url"].startswith(f"http://testserver/{language}/help/")
            page = client.get(article["url"])
            assert page.status_code == 200, article
            assert escape(article["title"]) in page.content.decode()


def test_translations_share_their_key_and_translation_key(help_content):
    for key in REQUIRED_KEYS:
        pages = HelpArticlePage.objects.filter(key=key).select_related("locale")
        assert sorted(page.locale.language_code for page in pages) == ["de", "en", "fr"]
        assert len({page.translation_key for page in pages}) == 1
        assert len({page.title for page in pages}) == 3  # really translated, not copied


def test_loading_twice_changes_nothing(help_content):
    revisions, published = Revision.objects.count(), list(Page.objects.values_list("pk", "last_published_at"))
    report = load_help_content()
    assert (report.created, report.updated, report.kept_editor_changes) == ([], [], [])
    assert report.unchanged == Page.objects.type(HelpArticlePage).count() + 5 * 3 + 3 + 3
    assert Revision.objects.count() == revisions
    assert list(Page.objects.values_list("pk", "last_published_at")) == published


def test_an_editors_change_is_kept_unless_forced(help_content, tmp_path):
    page = HelpArticlePage.objects.get(key="commission", locale__language_code="de")
    page.summary = "Von einer Redakteurin umgeschrieben."
    page.save_revision().publish()

    content = tmp_path / "help.toml"
    source = read_content()
    text = CONTENT_FILE.read_text("utf-8")
    content.write_text(
        text.replace(
            next(a for a in source["article"] if a["key"] == "commission")["de"]["title"],
            "Neue Frage aus der Datei?",
        ),
        "utf-8",
    )

    report = load_help_content(path=content)
    assert report.kept_editor_changes == ["commission/de"]
    page.refresh_from_db()
    assert page.summary == "Von einer Redakteurin umgeschrieben."

    report = load_help_content(path=content, force=True)
    assert report.updated == ["commission/de"]
    page.refresh_from_db()
    assert page.title == "Neue Frage aus der Datei?"
    assert page.summary != "Von einer Redakteurin umgeschrieben."


def test_a_changed_file_updates_pages_nobody_edited(help_content, tmp_path):
    text = CONTENT_FILE.read_text("utf-8")
    source = read_content()
    old = source["category"][0]["en"]["intro"]
    (tmp_path / "help.toml").write_text(text.replace(old, "A new introduction."), "utf-8")
    report = load_help_content(path=tmp_path / "help.toml")
    assert report.updated == ["sellers/en"] and not report.kept_editor_changes


def test_language_switcher_and_hreflang_lead_to_the_same_article(client, help_content, settings):
    french = HelpArticlePage.objects.get(key="scan-on-air", locale__language_code="fr")
    german = HelpArticlePage.objects.get(key="scan-on-air", locale__language_code="de")
    html = client.get(french.url).content.decode()
    assert f'<a href="{german.url}" hreflang="de"' in html
    # the page is one copy for every reader: its alternates name the public address
    assert f'<link rel="alternate" hreflang="de" href="{settings.SITE_URL}{german.url}">' in html
    assert re.search(r'<link rel="alternate" hreflang="x-default" href="[^"]+/fr/help/', html)
    german_html = client.get(german.url).content.decode()
    assert '<html lang="de">' in german_html and escape(german.title) in german_html


def test_related_articles_are_shown_in_the_readers_language(client, help_content):
    page = HelpArticlePage.objects.get(key="pos-outage", locale__language_code="en")
    related = page.related_articles()
    assert related and all(article.locale.language_code == "en" for article in related)
    html = client.get(page.url).content.decode()
    for article in related:
        assert article.url in html


def test_sitemap_lists_every_help_page_with_its_alternates(client, help_content):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    tree = ElementTree.fromstring(response.content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locations = [node.text for node in tree.findall("s:url/s:loc", ns)]
    assert len(locations) == HelpArticlePage.objects.count() + 5 * 3 + 3 + 3
    german = HelpArticlePage.objects.get(key="commission", locale__language_code="de")
    entry = next(url for url in tree.findall("s:url", ns) if url.find("s:loc", ns).text.endswith(german.url))
    assert {link.get("hreflang") for link in entry.findall("x:link", ns)} == {"fr", "de", "en"}


def test_every_article_of_the_file_is_complete():
    content = read_content()
    slugs = {}
    for article in content["article"]:
        for language in ("fr", "de", "en"):
            texts = article[language]
            assert texts["title"] and texts["summary"] and len(texts["answer"].split()) >= 60, article["key"]
            assert not re.search(r"\+\d{2} ?\d|@\w+\.\w", texts["answer"]), (
                "contact data belongs in the settings"
            )
            assert (language, texts["slug"]) not in slugs, texts["slug"]
            slugs[(language, texts["slug"])] = article["key"]
