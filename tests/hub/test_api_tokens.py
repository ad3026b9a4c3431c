"""Personal API tokens: they expire, show their last use, and are listed and revoked by their owners,
by operators and on the command line."""

import re
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from django.utils.formats import date_format

from hub import tokens
from hub.models import ApiToken, AuditEntry, Role

from ..helpers import make_user

ORDERS = "/api/v1/orders/"
PAGE = "/en/backoffice/api-tokens/"


def api(client, raw):
    return client.get(ORDERS, HTTP_AUTHORIZATION=f"Bearer {raw}")


def page(client, **kwargs) -> str:
    with translation.override("en"):
        return client.get(PAGE, **kwargs).content.decode()


@pytest.mark.django_db
def test_a_token_expires_after_a_year_by_default_or_after_its_own_days(client):
    seller = make_user("sam", Role.SELLER_ADMIN)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        default, default_raw = tokens.create_token(actor=seller, user=seller, name="default")
        short, short_raw = tokens.create_token(actor=seller, user=seller, name="short", days=30)
    assert default.expires_at == start + timedelta(days=365)
    assert short.expires_at == start + timedelta(days=30)

    with time_machine.travel(start + timedelta(days=29)):
        assert api(client, short_raw).status_code == 200
    with time_machine.travel(start + timedelta(days=30, seconds=1)):
        assert api(client, short_raw).status_code == 401
        assert api(client, default_raw).status_code == 200
    with time_machine.travel(start + timedelta(days=366)):
        assert api(client, default_raw).status_code == 401


@pytest.mark.django_db
def test_a_token_records_when_it_was_last_used(client):
    seller = make_user("sam", Role.SELLER_ADMIN)
    token, raw = tokens.create_token(actor=seller, user=seller, name="sync")
    assert token.last_used_at is None
    used = timezone.now() + timedelta(days=3)
    with time_machine.travel(used, tick=False):
        api(client, raw)
    token.refresh_from_db()
    assert token.last_used_at == used
    client.force_login(seller)
    with translation.override("en"):
        assert date_format(timezone.localtime(used), "SHORT_DATETIME_FORMAT") in page(client)


@pytest.mark.django_db
def test_a_user_creates_sees_and_revokes_their_own_tokens_only(client):
    seller = make_user("sam", Role.SELLER_ADMIN)
    other = make_user("rita", Role.SELLER_ADMIN)
    theirs, _ = tokens.create_token(actor=other, user=other, name="rita's export")
    client.force_login(seller)

    response = client.post(PAGE, {"name": "Ticket export", "days": "90"})
    assert response.status_code == 200
    raw = re.search(r"gt_[\w-]{40,}", response.content.decode()).group(0)
    token = ApiToken.objects.get(user=seller)
    assert (token.name, token.expires_at.date()) == (
        "Ticket export",
        (timezone.now() + timedelta(days=90)).date(),
    )
    assert api(client, raw).status_code == 200

    listing = page(client)
    assert "Ticket export" in listing and token.prefix in listing
    assert raw not in listing, "the token is shown once, when it is created"
    assert "rita" not in listing and theirs.prefix not in listing

    assert client.post(f"/en/backoffice/api-tokens/{theirs.pk}/revoke/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None

    assert client.post(f"/en/backoffice/api-tokens/{token.pk}/revoke/").status_code == 302
    assert api(client, raw).status_code == 401
    assert "Revoked" in page(client)
    assert AuditEntry.objects.filter(action="api_token.created", actor_label="sam").exists()
    assert AuditEntry.objects.filter(action="api_token.revoked", actor_label="sam").exists()


@pytest.mark.django_db
def test_bad_token_input_is_explained_and_creates_nothing(client):
    client.force_login(make_user("sam", Role.SELLER_ADMIN))
    with translation.override("en"):
        response = client.post(PAGE, {"name": "", "days": "5000"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required" in html and "less than or equal to 730" in html
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_operators_see_and_revoke_every_token(operator_client):
    seller = make_user("sam", Role.SELLER_ADMIN)
    token, raw = tokens.create_token(actor=seller, user=seller, name="Ticket export")
    listing = page(operator_client)
    assert "Ticket export" in listing and "sam" in listing
    assert operator_client.post(f"/en/backoffice/api-tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.get(action="api_token.revoked").actor_label == "olivia"


@pytest.mark.django_db
def test_the_page_is_in_the_menu_of_the_roles_that_use_the_api(client):
    for role, shown in [(Role.OPERATOR, True), (Role.SELLER_ADMIN, True), (Role.DOOR_STAFF, False)]:
        client.force_login(make_user(f"user-{role}", role))
        with translation.override("en"):
            menu = client.get("/en/backoffice/", follow=True).content
        assert (PAGE.encode() in menu) is shown, role
    assert client.get(PAGE).status_code == 403


@pytest.mark.django_db
def test_tokens_are_created_for_some_days_and_revoked_on_the_command_line(client):
    seller = make_user("sam", Role.SELLER_ADMIN)
    out = StringIO()
    call_command("create_api_token", "sam", "--days", "7", stdout=out)
    raw = out.getvalue().strip()
    token = ApiToken.objects.get(user=seller)
    assert (token.expires_at - token.created_at) == timedelta(days=7)

    call_command("revoke_api_token", "--prefix", token.prefix, stdout=StringIO())
    assert api(client, raw).status_code == 401

    for _ in range(2):
        call_command("create_api_token", "sam", stdout=StringIO())
    out = StringIO()
    call_command("revoke_api_token", "--user", "sam", stdout=out)
    assert "2" in out.getvalue()
    assert not ApiToken.objects.filter(revoked_at__isnull=True).exists()
    assert AuditEntry.objects.filter(action="api_token.revoked", actor_label="manage.py").count() == 3

    with pytest.raises(CommandError):
        call_command("revoke_api_token", "--prefix", "gt_nothing")
    with pytest.raises(CommandError):
        call_command("create_api_token", "sam", "--days", "0")
