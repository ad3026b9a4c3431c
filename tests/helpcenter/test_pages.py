"""Search, feedback, contact data and the editors' admin of the help centre."""

import pytest
from django.test import Client
from django.utils.html import escape

from helpcenter.models import (
    ArticleFeedback,
    HelpArticlePage,
    SupportPhoneLine,
    SupportSettings,
    UnansweredSearch,
)
from hub import services as hub_services
from hub.models import Role

from ..helpers import make_user, requires_postgres

pytestmark = pytest.mark.django_db


def article(key, language):
    return HelpArticlePage.objects.get(key=key, locale__language_code=language)


# --- Search ------------------------------------------------------------------------------------------


def test_search_finds_german_articles_with_the_matches_highlighted(client, help_content):
    response = client.get("/de/help/search/", {"q": "Auszahlung"})
    html = response.content.decode()
    assert response.status_code == 200
    assert escape(article("seller-payout-delay", "de").title) in html
    assert "<mark>" in html
    assert escape(article("seller-payout-delay", "fr").title) not in html  # only the reader's language


def test_search_results_are_in_the_readers_language_and_paginated(client, help_content):
    response = client.get("/en/help/search/", {"q": "ticket"})
    page = response.context["page"]
    assert page.paginator.count > 10 and len(page.object_list) == 10
    assert all(hit.page.locale.language_code == "en" for hit in page.object_list)
    second = client.get("/en/help/search/", {"q": "ticket", "page": 2}).context["page"]
    assert second.number == 2


def test_a_search_without_results_is_logged_for_editors(client, help_content):
    for _ in range(2):
        response = client.get("/fr/help/search/", {"q": "  Zzqx   WWVY "})
    assert response.status_code == 200 and "Aucun résultat" in response.content.decode()
    gap = UnansweredSearch.objects.get(language="fr")
    assert (gap.query, gap.count) == ("zzqx wwvy", 2)


def test_a_misspelt_search_still_leads_to_an_article(client, help_content):
    response = client.get("/fr/help/search/", {"q": "remboursment"})
    assert response.context["page"].paginator.count


def test_search_escapes_what_the_reader_typed(client, help_content):
    html = client.get("/fr/help/search/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_empty_search_shows_the_form(client, help_content):
    response = client.get("/fr/help/search/", {"q": "   "})
    assert response.status_code == 200 and not UnansweredSearch.objects.exists()


@requires_postgres
def test_postgres_search_uses_the_languages_own_stemming(client, help_content):
    """German "Auszahlungen" finds "Auszahlung"; French "remboursements" finds "remboursement"."""
    hits = client.get("/de/help/search/", {"q": "Auszahlungen"}).context["page"].object_list
    assert hits[0].page.key == "seller-payout-delay"
    assert "<mark>" in str(hits[0].excerpt) or "<mark>" in str(hits[0].title)
    hits = client.get("/en/help/search/", {"q": "payouts"}).context["page"].object_list
    assert "seller-payout-delay" in [hit.page.key for hit in hits[:3]]


# --- Feedback ----------------------------------------------------------------------------------------


def test_feedback_counts_one_vote_per_reader_and_article(client, help_content):
    page = article("commission", "fr")
    url = f"/fr/help/articles/{page.pk}/feedback/"
    response = client.post(url, {"helpful": "yes"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Merci pour votre avis." in response.content.decode()
    client.post(url, {"helpful": "no"}, headers={"HX-Request": "true"})  # same reader: not counted again
    assert list(ArticleFeedback.objects.values_list("helpful", flat=True)) == [True]
    response = Client().post(url, {"helpful": "no"})  # another reader, without JavaScript
    assert response.status_code == 302 and response.url == page.url
    assert ArticleFeedback.objects.filter(helpful=False).count() == 1


def test_bad_feedback_changes_nothing(client, help_content):
    page = article("commission", "fr")
    assert client.post(f"/fr/help/articles/{page.pk}/feedback/", {"helpful": "maybe"}).status_code == 400
    assert client.get(f"/fr/help/articles/{page.pk}/feedback/").status_code == 405
    assert client.post("/fr/help/articles/999999/feedback/", {"helpful": "yes"}).status_code == 404
    assert not ArticleFeedback.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://elsewhere.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site", "Origin": "https://other.testserver"},
    ],
)
def test_another_site_cannot_make_a_browser_vote(help_content, headers):
    """The form has no CSRF token (its page is one copy for all): a browser's cross-site post says so."""
    page = article("commission", "fr")
    response = Client().post(f"/fr/help/articles/{page.pk}/feedback/", {"helpful": "yes"}, headers=headers)
    assert response.status_code == 403
    assert not ArticleFeedback.objects.exists()


def test_a_vote_needs_no_csrf_token_from_our_own_pages(help_content):
    page = article("commission", "fr")
    reader = Client(enforce_csrf_checks=True)
    headers = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin", "HX-Request": "true"}
    response = reader.post(f"/fr/help/articles/{page.pk}/feedback/", {"helpful": "yes"}, headers=headers)
    assert response.status_code == 200 and "Merci pour votre avis." in response.content.decode()
    assert ArticleFeedback.objects.filter(article=page, helpful=True).count() == 1


def test_feedback_is_rate_limited_per_address(settings, help_content):
    settings.HELP_FEEDBACK_RATE_LIMIT = 3
    pages = list(HelpArticlePage.objects.filter(locale__language_code="en")[:5])
    answers = [
        Client().post(
            f"/en/help/articles/{page.pk}/feedback/", {"helpful": "yes"}, headers={"HX-Request": "true"}
        )
        for page in pages
    ]
    assert ["Thank you" in response.content.decode() for response in answers] == [True] * 3 + [False] * 2
    assert "Too many votes" in answers[-1].content.decode()
    assert ArticleFeedback.objects.count() == 3


# --- Contact data ------------------------------------------------------------------------------------


def test_contact_page_and_articles_read_the_contact_settings(
    client, help_content, django_capture_on_commit_callbacks
):
    """Pages are served ready-made: a change of the contact settings shows once it is committed."""
    contact = SupportSettings.load()
    for url in ("/de/help/contact/", article("contact-hours", "de").url):
        assert "help@venue.example" not in client.get(url).content.decode()  # the copies are made
    with django_capture_on_commit_callbacks(execute=True):
        contact.support_email = "help@venue.example"
        contact.save()
        SupportPhoneLine.objects.create(settings=contact, country="CH", number="+41 21 588 17 12")
    for url in ("/de/help/contact/", article("contact-hours", "de").url):
        html = client.get(url).content.decode()
        assert "help@venue.example" in html and 'href="tel:+41215881712"' in html
        assert "Am Wochenende: nur Notfälle" in html
    with django_capture_on_commit_callbacks(execute=True):
        contact.weekend_emergency_phone = False
        contact.save()
    assert "Am Wochenende: geschlossen" in client.get("/de/help/contact/").content.decode()
    assert "help@venue.example" not in client.get(article("commission", "de").url).content.decode()


def test_phone_lines_are_validated_and_normalised():
    from django.core.exceptions import ValidationError

    contact = SupportSettings.load()
    line = SupportPhoneLine(settings=contact, country="be", number="+3228082956")
    line.full_clean()
    assert (line.country, line.number) == ("BE", "+32 2 808 29 56")
    with pytest.raises(ValidationError):
        SupportPhoneLine(settings=contact, country="FR", number="06 12").full_clean()


# --- Editors -----------------------------------------------------------------------------------------


def test_only_operators_get_into_the_help_centre_admin_in_their_language(client, help_content):
    seller = make_user("sophie", Role.SELLER_ADMIN)
    client.force_login(seller)
    assert client.get("/cms/").status_code == 403  # refused, not sent round the login page
    assert client.get("/cms/pages/").status_code == 403

    editor = make_user("olivia", language="de")
    hub_services.grant_role(actor="test", user=editor, role=Role.OPERATOR)
    client.force_login(editor)
    response = client.get("/cms/pages/")
    assert response.status_code == 200
    assert '<html lang="de"' in response.content.decode()
    home = article("commission", "fr").get_parent().get_parent()
    assert client.get(f"/cms/pages/{home.pk}/").status_code == 200
    for language in ("fr", "de"):
        edit = client.get(f"/cms/pages/{article('commission', language).pk}/edit/")
        html = edit.content.decode()
        assert edit.status_code == 200 and '<html lang="de"' in html and "Veröffentlichen" in html
    assert client.get("/cms/settings/helpcenter/supportsettings/", follow=True).status_code == 200

    hub_services.revoke_role(actor="test", user=editor, role=Role.OPERATOR)
    assert client.get("/cms/pages/").status_code == 403
    client.logout()
    assert client.get("/cms/pages/").url.startswith("/fr/accounts/login/")


def test_editors_see_feedback_counts_and_searches_without_results(client, help_content):
    page = article("commission", "en")
    ArticleFeedback.objects.create(article=page, helpful=True)
    ArticleFeedback.objects.create(article=page, helpful=False)
    ArticleFeedback.objects.create(article=page, helpful=False)
    UnansweredSearch.objects.create(language="en", query="gift vouchers", count=4)
    editor = make_user("olivia", language="en")
    hub_services.grant_role(actor="test", user=editor, role=Role.OPERATOR)
    client.force_login(editor)
    html = client.get("/cms/reports/help-feedback/").content.decode()
    assert escape(page.title) in html
    row = html[html.index(escape(page.title)) :]
    assert ">1<" in row.replace(" ", "").replace("\n", "") and ">2<" in row.replace(" ", "").replace("\n", "")
    html = client.get("/cms/reports/help-searches/").content.decode()
    assert "gift vouchers" in html


def test_an_editor_translates_a_new_article_with_wagtail_localize(client, help_content):
    """A new French article goes to German through wagtail-localize: key, translation key and tree follow."""
    from wagtail.models import Locale

    editor = make_user("olivia", language="fr")
    hub_services.grant_role(actor="test", user=editor, role=Role.OPERATOR)
    client.force_login(editor)
    category = article("commission", "fr").get_parent()
    new = HelpArticlePage(
        title="Puis-je vendre des bons cadeaux ?",
        slug="bons-cadeaux",
        key="gift-vouchers",
        summary="Pas encore.",
        answer="<p>Pas encore.</p>",
        locale=category.locale,
    )
    category.add_child(instance=new)
    new.save_revision().publish()

    url = f"/cms/localize/submit/page/{new.pk}/"
    assert client.get(url).status_code == 200
    german = Locale.objects.get(language_code="de")
    response = client.post(url, {"locales": [german.pk]})
    assert response.status_code == 302
    translation = HelpArticlePage.objects.get(key="gift-vouchers", locale=german)
    assert translation.translation_key == new.translation_key
    assert translation.get_parent().specific.key == category.specific.key  # under the German category
    assert client.get(f"/cms/pages/{translation.pk}/edit/").status_code == 200


def test_wagtails_own_sign_in_and_password_reset_lead_to_guichets(client):
    """Guichet's pages are rate-limited and audited; Wagtail's would be a way around that."""
    response = client.post("/cms/login/?next=/cms/pages/", {"username": "x", "password": "y"})
    assert response.status_code in (301, 302) and response.url == "/fr/accounts/login/?next=/cms/pages/"
    assert client.get("/cms/password_reset/").url == "/fr/accounts/password-reset/"
    assert client.get("/cms/").url.startswith("/fr/accounts/login/")
