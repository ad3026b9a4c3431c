"""Settings, languages, migrations and demo data: the project as a newcomer meets it."""

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from hub.models import Role, User, UserRole

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, env):
    """Run manage.py in a fresh process that sees only ``env`` (plus PATH and HOME)."""
    base = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DATABASE_URL": "postgres://guichet:secret@db:5432/guichet",
    "REDIS_URL": "redis://redis:6379/0",
    "SECRET_KEY": "x" * 60 + "production-only-secret-key-for-the-check",
    "ALLOWED_HOSTS": "guichet.example",
    "SITE_URL": "https://guichet.example",
    "HTTPS": "1",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example:587",
    "STATIC_MANIFEST": "1",
}


def test_check_deploy_passes_with_production_variables():
    # Guichet ships no real payment provider yet: a demo server (DEMO=1) is the set-up that passes.
    result = manage("check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION, "DEMO": "1"})
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_environment_switches_the_runtime():
    assert settings.LANGUAGE_CODE == "fr"
    assert [code for code, _ in settings.LANGUAGES] == ["fr", "de", "en"]
    if os.environ.get("REDIS_URL"):
        assert os.environ["REDIS_URL"] == settings.CELERY_BROKER_URL
        assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    else:
        assert settings.CELERY_BROKER_URL.startswith("filesystem://")


@pytest.mark.django_db
def test_migrations_are_complete():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def test_compiled_translations_are_committed_and_used():
    for language in ("fr", "de", "en"):
        assert (ROOT / "locale" / language / "LC_MESSAGES" / "django.mo").exists()
    with translation.override("de"):
        assert translation.gettext("Outbox") == "Postausgang"
    with translation.override("fr"):
        assert translation.gettext("Outbox") == "Boîte d’envoi"


@pytest.mark.django_db
def test_home_page_in_each_language(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/fr/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de")["Location"] == "/de/"
    pages = {code: client.get(f"/{code}/").content.decode() for code in ("fr", "de", "en")}
    assert '<html lang="fr">' in pages["fr"] and "Se connecter" in pages["fr"]
    assert '<html lang="de">' in pages["de"] and "Anmelden" in pages["de"]
    assert '<html lang="en">' in pages["en"] and "Sign in" in pages["en"]


@pytest.mark.django_db
def test_demo_data_is_idempotent_and_logs_in():
    out = StringIO()
    with translation.override("fr"):  # whatever language is active, the command speaks English
        call_command("demo_data", stdout=out)
    counts = (User.objects.count(), UserRole.objects.count())
    call_command("demo_data", stdout=StringIO())
    assert (User.objects.count(), UserRole.objects.count()) == counts
    for role in Role.values:
        assert UserRole.objects.filter(role=role).exists()
    assert "guichet-operator" in out.getvalue()
    printed = re.findall(r"^  (\w+) +guichet-\w+ +(.+)$", out.getvalue(), re.MULTILINE)
    assert dict(printed) == {
        "operator": "Operator",
        "support": "Support agent",
        "manager": "Account manager",
        "seller": "Seller admin",
        "boxoffice": "Box-office staff",
        "door": "Door staff",
        "festival": "Seller admin, waiting for phone verification",
    }, "role names in one language (issue 12)"
    assert User.objects.get(username="door").check_password("guichet-door")


def test_every_setting_is_documented_and_every_example_variable_is_read():
    settings_source = (ROOT / "hub" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', settings_source))
    read |= set(re.findall(r'"([A-Z_]+)" (?:not )?in env', settings_source))
    readme = (ROOT / "README.md").read_text()
    undocumented = {name for name in read if f"`{name}`" not in readme}
    assert not undocumented, f"add these to the README's table: {sorted(undocumented)}"

    example = (ROOT / ".env.example").read_text()
    declared = set(re.findall(r"^([A-Z_]+)=", example, re.MULTILINE)) - {"POSTGRES_PASSWORD"}
    assert declared <= read, f"not read by settings: {sorted(declared - read)}"


def test_readme_lists_the_demo_accounts():
    from hub.demo import ACCOUNTS

    readme = (ROOT / "README.md").read_text()
    from ticketing.demo import PENDING_USER

    for username, password, *_ in [*ACCOUNTS, PENDING_USER]:
        assert f"| `{username}` | `{password}` |" in readme


def test_the_scheduler_sweeps_the_outbox_every_30_seconds_and_runs_only_real_tasks():
    from hub.celery import app as celery_app

    celery_app.loader.import_default_modules()  # what a worker does at start: autodiscovers every tasks.py
    assert settings.CELERY_BEAT_SCHEDULE["outbox-deliver-due"]["schedule"] == 30.0
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in celery_app.tasks
