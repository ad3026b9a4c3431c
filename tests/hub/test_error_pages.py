"""With DEBUG off (production, and `make demo`), errors show Guichet's own pages and log one line."""

import logging
import re
import secrets
from pathlib import Path

import pytest
from django.test import Client
from django.urls import path

import hub.urls
from hub.models import Role

from ..helpers import make_user


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), *hub.urls.urlpatterns]


@pytest.fixture
def debug_off(settings):
    settings.DEBUG = False
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False


@pytest.mark.django_db
def test_an_unknown_ticket_shows_guichets_404_page_not_the_technical_one(client, debug_off):
    response = client.get(f"/t/{secrets.token_urlsafe(24)}/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    page = response.content.decode()
    assert "Seite nicht gefunden" in page and "/static/css/guichet.css" in page
    assert "URLconf" not in page and "Traceback" not in page

    response = client.get("/en/no-such-page/")
    assert response.status_code == 404 and "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_a_refused_page_shows_guichets_403_page(client, debug_off):
    client.force_login(make_user("sophie", Role.SELLER_ADMIN))
    response = client.get("/fr/backoffice/outbox/")
    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]
    assert "Accès refusé" in response.content.decode()


@pytest.mark.django_db
def test_a_server_error_shows_guichets_500_page(settings, debug_off):
    settings.ROOT_URLCONF = __name__
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page and "/static/css/guichet.css" in page
    assert "RuntimeError" not in page and "Traceback" not in page


@pytest.mark.django_db
def test_a_refused_request_is_logged_as_one_warning_line_without_traceback(client, caplog, debug_off):
    client.force_login(make_user("sophie", Role.SELLER_ADMIN))
    with caplog.at_level(logging.INFO):
        assert client.get("/fr/backoffice/outbox/").status_code == 403
    warnings = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(warnings) == 1, warnings
    (warning,) = warnings
    assert warning.levelno == logging.WARNING and warning.exc_info is None and not warning.exc_text
    assert warning.getMessage() == "Forbidden (Permission denied): /fr/backoffice/outbox/"


def test_django_records_go_through_one_handler_only():
    """Django's own console handler (DEBUG) printed every django.* record a second time."""
    assert logging.getLogger("django").handlers == []
    assert logging.getLogger("django.request").handlers == []


def test_make_demo_runs_with_debug_off_and_make_dev_with_debug_on():
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    recipes = dict(re.findall(r"^(demo|dev): install\n((?:\t.*\n)+)", makefile, re.MULTILINE))
    assert set(recipes) == {"demo", "dev"}
    for line in recipes["demo"].splitlines():
        assert line.startswith("\tDEBUG=0 $(DEMO_ENV) "), line
    for line in recipes["dev"].splitlines():
        assert line.startswith("\tDEBUG=1 $(DEMO_ENV) "), line
    assert re.search(r"^DEMO_ENV = DEMO=1 ", makefile, re.MULTILINE)
