"""Help pages served ready-made to anonymous readers, kept fresh on every change, and readable while the
database is down (search and feedback then say they are unavailable for a moment)."""

import gzip
import urllib.error
import urllib.request

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import Client
from django.utils.html import escape
from wagtail.models import PageViewRestriction

from helpcenter import snapshot
from helpcenter.content import CONTENT_FILE, load_help_content, read_content
from helpcenter.models import HelpArticlePage
from hub.models import Role

from ..helpers import gunicorn_without_database, make_user

pytestmark = pytest.mark.django_db

LANGUAGES = ("fr", "de", "en")


def article(key, language):
    return HelpArticlePage.objects.get(key=key, locale__language_code=language)


def help_urls():
    return ["/fr/help/"] + [article("pos-outage", language).url for language in LANGUAGES]


def unreachable(execute, sql, params, many, context):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def test_anonymous_readers_get_one_copy_for_everybody_without_the_database(
    client, help_content, django_assert_num_queries
):
    urls = [f"/{language}/help/" for language in LANGUAGES] + help_urls()[1:]
    first = {url: client.get(url).content for url in urls}  # rendered once, kept
    with django_assert_num_queries(0):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200 and response.content == first[url]
    html = first[urls[-1]].decode()
    assert '<meta name="csrf-token" content="">' in html and "csrfmiddlewaretoken" not in html
    assert 'action="/en/help/articles/' in html  # the feedback form is there, without a token
    assert "Cookie" in response["Vary"] and not response.cookies


def test_browsers_get_the_copy_compressed_once(client, help_content):
    url = article("pos-outage", "de").url
    plain = client.get(url)
    packed = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content


def test_a_signed_in_reader_and_a_reader_with_a_message_get_the_live_page(client, help_content):
    url = article("commission", "fr").url
    assert "Se connecter" in client.get(url).content.decode()  # the copy: nobody is signed in
    client.force_login(make_user("olivia", Role.OPERATOR))
    live = client.get(url).content.decode()
    assert "Back-office" in live and '<meta name="csrf-token" content="">' not in live

    reader = Client()  # without JavaScript: the vote comes back as a message on the article
    response = reader.post(
        f"/fr/help/articles/{article('commission', 'fr').pk}/feedback/", {"helpful": "yes"}
    )
    assert "Merci pour votre avis." in reader.get(response.url).content.decode()
    assert "Merci pour votre avis." not in reader.get(response.url).content.decode()  # shown once


@pytest.mark.parametrize("change", ["publish", "unpublish", "delete", "private"])
def test_a_change_replaces_the_copies_once_committed(
    client, help_content, django_capture_on_commit_callbacks, change
):
    page = article("exit-pass", "en")
    url, category_url, title = page.url, page.get_parent().url, escape(page.title)
    assert title in client.get(url).content.decode() and title in client.get(category_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        if change == "publish":
            page.title = "Letting a guest out and back in"
            page.save_revision().publish()
        elif change == "unpublish":
            page.unpublish()
        elif change == "delete":
            page.delete()
        else:
            PageViewRestriction.objects.create(page=page, restriction_type="password", password="s3cret")
    answer, category = client.get(url).content.decode(), client.get(category_url).content.decode()
    if change == "publish":
        assert "Letting a guest out and back in" in answer and "Letting a guest out and back in" in category
        cache.clear()
        snapshot.forget()
        with connection.execute_wrapper(unreachable):  # the file was written anew too
            assert "Letting a guest out and back in" in client.get(url).content.decode()
    elif change == "private":
        assert page.summary not in answer and "password" in answer.lower()  # Wagtail asks for it
    else:
        assert client.get(url).status_code == 404 and title not in category


def test_loading_the_content_file_refreshes_the_copies(
    client, help_content, tmp_path, django_capture_on_commit_callbacks
):
    assert "A new introduction." not in client.get("/en/help/").content.decode()
    old = read_content()["category"][0]["en"]["intro"]
    (tmp_path / "help.toml").write_text(CONTENT_FILE.read_text("utf-8").replace(old, "A new introduction."))
    with django_capture_on_commit_callbacks(execute=True):
        load_help_content(path=tmp_path / "help.toml")
    assert "A new introduction." in client.get("/en/help/").content.decode()


# --- Without the database ------------------------------------------------------------------------------


def test_with_the_database_unreachable_the_kept_copies_answer(client, help_content):
    urls = help_urls()
    for url in urls:
        client.get(url)
    with connection.execute_wrapper(unreachable):
        answers = [client.get(url) for url in urls]
    assert [answer.status_code for answer in answers] == [200] * 4
    assert all(b"</html>" in answer.content for answer in answers)


def test_with_the_database_and_the_cache_lost_the_file_answers(client, help_content):
    assert snapshot.refresh() > 4 * 3  # every page of every language, into the file too
    cache.clear()
    snapshot.forget()
    urls = help_urls()
    with connection.execute_wrapper(unreachable):
        answers = [client.get(url) for url in urls]
        missing = client.get("/fr/help/nothing-here/")
    assert [answer.status_code for answer in answers] == [200] * 4
    assert article("pos-outage", "de").title in answers[2].content.decode()
    assert missing.status_code == 503


def test_search_and_feedback_say_they_are_unavailable_for_a_moment(client, help_content):
    page = article("pos-outage", "en")
    feedback = f"/en/help/articles/{page.pk}/feedback/"
    with connection.execute_wrapper(unreachable):
        search = client.get("/en/help/search/", {"q": "till down"})
        french = client.get("/fr/help/search/", {"q": "caisse"})
        vote = client.post(feedback, {"helpful": "yes"})
        vote_htmx = client.post(feedback, {"helpful": "yes"}, headers={"HX-Request": "true"})
    assert search.status_code == 503 and search["Retry-After"]
    assert "Search is unavailable for a moment." in search.content.decode()
    assert french.status_code == 503 and '<html lang="fr">' in french.content.decode()
    assert vote.status_code == 503 and "Feedback is unavailable for a moment." in vote.content.decode()
    assert vote_htmx.status_code == 503 and "<html" not in vote_htmx.content.decode()
    assert "Feedback is unavailable for a moment." in vote_htmx.content.decode()


def test_a_server_whose_database_is_down_still_serves_the_help_centre(help_content, tmp_path, settings):
    """A real gunicorn pointed at a database nobody listens on, with an empty cache: the snapshot file.

    Its web process also starts without the suggestion index (it cannot be built) instead of failing."""
    var = tmp_path / "var"
    var.mkdir()
    settings.HELP_SNAPSHOT_FILE = var / "help-pages.zip"
    snapshot.refresh()
    with gunicorn_without_database(var) as read:
        for url in help_urls():
            assert "</html>" in read(url)
        assert escape(article("pos-outage", "fr").title) in read(help_urls()[1])
        with pytest.raises(urllib.error.HTTPError) as search:
            read("/en/help/search/?q=till")
        assert search.value.code == 503
        assert "Search is unavailable for a moment." in search.value.read().decode()
