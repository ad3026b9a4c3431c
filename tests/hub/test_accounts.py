import re

import pytest
from django.urls import reverse

from hub.models import AuditEntry, OutboundMessage, Role, User

from ..helpers import make_user

LOGIN = "/fr/accounts/login/"


@pytest.mark.django_db
def test_login_with_user_name_or_email_and_logout(client):
    make_user("sophie", Role.SELLER_ADMIN, password="correct-horse-battery")
    response = client.post(LOGIN, {"username": "sophie", "password": "correct-horse-battery"})
    assert response.status_code == 302 and response["Location"] == "/fr/backoffice/"
    assert AuditEntry.objects.filter(action="auth.login", actor_label="sophie").exists()

    assert client.post("/fr/accounts/logout/").status_code == 302
    assert client.get("/fr/backoffice/").status_code == 302

    response = client.post(LOGIN, {"username": "SOPHIE@example.org", "password": "correct-horse-battery"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_wrong_password_is_explained_in_the_page_language(client):
    make_user("sophie", password="correct-horse-battery")
    response = client.post(LOGIN, {"username": "sophie", "password": "wrong"})
    assert response.status_code == 200
    assert (
        "Ce nom d’utilisateur ou cet e-mail et ce mot de passe ne correspondent pas"
        in response.content.decode()
    )
    response = client.post("/de/accounts/login/", {"username": "sophie", "password": "wrong"})
    assert "Benutzername oder E-Mail und Passwort passen nicht zusammen" in response.content.decode()


@pytest.mark.django_db
def test_failed_sign_ins_from_one_address_do_not_lock_the_account_out(client, settings):
    """Throttling counts per (address, account) pair and per address: someone hammering "sophie" from
    10.0.0.1 is stopped there, and sophie still signs in from her own address."""
    settings.LOGIN_RATE_LIMIT = 5
    make_user("sophie", password="correct-horse-battery")
    for attempt in range(5):
        client.post(LOGIN, {"username": "sophie", "password": f"guess-{attempt}"}, REMOTE_ADDR="10.0.0.1")

    refused = client.post(
        LOGIN, {"username": "sophie", "password": "correct-horse-battery"}, REMOTE_ADDR="10.0.0.1"
    )
    assert refused.status_code == 200 and "Trop de tentatives de connexion" in refused.content.decode()
    assert "_auth_user_id" not in client.session, "that address is throttled, even with the password"

    response = client.post(
        LOGIN, {"username": "sophie", "password": "correct-horse-battery"}, REMOTE_ADDR="10.0.0.2"
    )
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(
        User.objects.get(username="sophie").pk
    )
    assert AuditEntry.objects.filter(action="auth.login_failed").count() == 5
    assert AuditEntry.objects.filter(action="auth.login_refused").count() == 1


@pytest.mark.django_db
def test_login_is_rate_limited_per_address_across_accounts(client, settings):
    settings.LOGIN_RATE_LIMIT_PER_ADDRESS = 3
    make_user("sophie", password="correct-horse-battery")
    for name in ("a", "b", "c"):
        client.post(LOGIN, {"username": name, "password": "x"})
    response = client.post(LOGIN, {"username": "sophie", "password": "correct-horse-battery"})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
    elsewhere = client.post(
        LOGIN, {"username": "sophie", "password": "correct-horse-battery"}, REMOTE_ADDR="10.0.0.9"
    )
    assert elsewhere.status_code == 302


@pytest.mark.django_db
def test_one_persons_typos_never_lock_out_a_colleague_at_the_same_address(client, settings):
    """Issue 12: ten wrong passwords on "boxoffice" refused "support" at the same counter. The address
    limit counts accounts that failed there, never one account's attempts, whatever the limits are."""
    settings.LOGIN_RATE_LIMIT = settings.LOGIN_RATE_LIMIT_PER_ADDRESS = 10
    make_user("boxoffice", password="guichet-boxoffice")
    support = make_user("support", password="guichet-support")
    for attempt in range(10):
        client.post(LOGIN, {"username": "boxoffice", "password": f"typo-{attempt}"}, REMOTE_ADDR="10.1.1.1")
    refused = client.post(
        LOGIN, {"username": "boxoffice", "password": "guichet-boxoffice"}, REMOTE_ADDR="10.1.1.1"
    )
    assert "Trop de tentatives de connexion" in refused.content.decode(), "boxoffice itself is stopped there"

    response = client.post(
        LOGIN, {"username": "support", "password": "guichet-support"}, REMOTE_ADDR="10.1.1.1"
    )
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(support.pk)


@pytest.mark.django_db
def test_failed_sign_ins_for_one_account_spread_over_many_addresses_are_limited(client, settings):
    settings.LOGIN_RATE_LIMIT_PER_ACCOUNT = 6
    make_user("sophie", password="correct-horse-battery")
    for attempt in range(6):  # three addresses, two guesses each: under the pair limit everywhere
        address = f"10.2.0.{attempt % 3}"
        client.post(LOGIN, {"username": "sophie", "password": f"guess-{attempt}"}, REMOTE_ADDR=address)
    assert AuditEntry.objects.filter(action="auth.login_failed").count() == 6

    refused = client.post(LOGIN, {"username": "Sophie", "password": "another-guess"}, REMOTE_ADDR="10.2.9.9")
    assert "Trop de tentatives de connexion" in refused.content.decode()
    assert AuditEntry.objects.filter(action="auth.login_refused").count() == 1
    other = make_user("samuel", password="another-good-password")
    response = client.post(
        LOGIN, {"username": "samuel", "password": "another-good-password"}, REMOTE_ADDR="10.2.9.9"
    )
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(other.pk)


@pytest.mark.django_db
def test_the_address_limit_counts_distinct_accounts_not_attempts(client, settings):
    settings.LOGIN_RATE_LIMIT_PER_ADDRESS = 3
    make_user("sophie", password="correct-horse-battery")
    for name in ("a", "a", "a", "b", "b"):
        client.post(LOGIN, {"username": name, "password": "x"})
    assert client.post(LOGIN, {"username": "sophie", "password": "correct-horse-battery"}).status_code == 302
    client.post("/fr/accounts/logout/")
    client.post(LOGIN, {"username": "c", "password": "x"})
    response = client.post(LOGIN, {"username": "sophie", "password": "correct-horse-battery"})
    assert response.status_code == 200 and "Trop de tentatives de connexion" in response.content.decode()


@pytest.mark.django_db
def test_password_reset_goes_through_the_outbox_and_works(client, django_capture_on_commit_callbacks):
    make_user("sophie", password="correct-horse-battery")
    response = client.post("/en/accounts/password-reset/", {"email": "sophie@example.org"})
    assert response.status_code == 302
    message = OutboundMessage.objects.get()
    assert message.recipient == "sophie@example.org"
    assert message.subject == "Choose a new Guichet password"
    link = re.search(r"http://testserver(/en/accounts/reset/\S+/)", message.body).group(1)

    response = client.get(link, follow=True)
    assert "new_password1" in response.content.decode()
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "a-much-better-pass", "new_password2": "a-much-better-pass"},
    )
    assert response.status_code == 302
    assert client.login(username="sophie", password="a-much-better-pass")


@pytest.mark.django_db
def test_password_reset_answers_the_same_for_an_unknown_address(client):
    known = client.post("/fr/accounts/password-reset/", {"email": "nobody@example.org"})
    assert known.status_code == 302 and known["Location"] == "/fr/accounts/password-reset/sent/"
    assert not OutboundMessage.objects.exists()


@pytest.mark.django_db
def test_password_reset_requests_are_rate_limited(client):
    for _ in range(5):
        client.post("/fr/accounts/password-reset/", {"email": "nobody@example.org"})
    response = client.post("/fr/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 200
    assert "Trop de demandes" in response.content.decode()


@pytest.mark.django_db
def test_switching_language_keeps_the_page_and_is_remembered(client):
    user = make_user("sophie", Role.SELLER_ADMIN)
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "de", "next": "/fr/backoffice/"})
    assert response.status_code == 302 and response["Location"] == "/de/backoffice/"
    user.refresh_from_db()
    assert user.language == "de"
    assert AuditEntry.objects.filter(action="user.language_changed").exists()


@pytest.mark.django_db
def test_switching_language_works_whatever_language_the_browser_speaks(client):
    """The page is German, the browser English: switching to English still lands on the English page."""
    for browser, language in [("en", "en"), ("de", "en"), ("fr", "de")]:
        response = client.post(
            reverse("set_language"),
            {"language": language, "next": "/de/tariff/?x=1"},
            headers={"Accept-Language": browser},
        )
        assert response["Location"] == f"/{language}/tariff/?x=1", (browser, language)
