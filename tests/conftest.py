import os
import uuid

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from hub.celery import app as celery_app
from hub.models import Role

from .helpers import SmtpSink, free_port, make_user


@pytest.fixture(autouse=True, scope="session")
def celery_eager():
    """Tasks run in the test process with the real task code (no broker needed)."""
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's language: a request through LocaleMiddleware leaves its language
    active in the thread, which would otherwise leak into the next test."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def isolated_cache(settings, tmp_path):
    """A cache (rate limits!) and snapshot files of its own per test, on the configured backend."""
    cache = dict(settings.CACHES["default"])
    if cache["BACKEND"].endswith("FileBasedCache"):
        cache["LOCATION"] = str(tmp_path / "cache")
    else:  # Redis: a database per xdist worker too, as a test's cache.clear() empties the whole database
        worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
        base, _, number = cache["LOCATION"].rpartition("/")
        cache["LOCATION"] = f"{base}/{(int(number or 0) + 1 + worker) % 16}"
        cache["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {"default": cache}
    settings.STATUS_SNAPSHOT_FILE = tmp_path / "status-snapshot.json"
    settings.HELP_SNAPSHOT_FILE = tmp_path / "help-pages.zip"
    settings.SUPPORT_FILES_ROOT = tmp_path / "support-files"


@pytest.fixture
def smtp(settings):
    """SMTP settings pointing at a live local sink; ``smtp.stop()`` simulates an outage."""
    sink = SmtpSink(free_port())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def operator(db):
    return make_user("olivia", Role.OPERATOR)


@pytest.fixture
def operator_client(client, operator):
    client.force_login(operator)
    return client


@pytest.fixture(autouse=True)
def demo_server(settings):
    """Tests run as a demo server (``DEMO=1``, like ``make demo``): the demo bank pays and demo data loads.

    The suite runs with DEBUG off; tests of what production refuses switch these settings back.
    """
    settings.DEMO = True
    settings.PAYMENT_PROVIDER = "demo"


@pytest.fixture(scope="session")
def help_content(django_db_setup, django_db_blocker):
    """The whole help centre, loaded once per session (each test rolls its own changes back)."""
    from helpcenter.content import load_help_content

    with django_db_blocker.unblock():
        load_help_content()
