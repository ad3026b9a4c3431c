"""Optional TOTP two-factor sign-in (django-otp), required of operators when REQUIRE_2FA_FOR_OPERATORS=1.

Codes are computed here from the key the enrolment page shows, as an authenticator app would, at moments
fixed with time-machine (a code is accepted once, in its 30-second step)."""

import base64
import re
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from hub import services, tokens
from hub.models import AuditEntry, Role

from ..helpers import make_user

LOGIN = "/en/accounts/login/"
CODE = "/en/accounts/login/code/"
ENROL = "/en/backoffice/two-factor/"
PASSWORD = "correct-horse-battery"


def code(key: str) -> str:
    """The current code of an authenticator app holding ``key`` (base32, as shown)."""
    return f"{totp(base64.b32decode(key.replace(' ', ''))):06d}"


def wrong(key: str) -> str:
    return "000000" if code(key) != "000000" else "111111"


def get(client, path, **kwargs):
    with translation.override("en"):
        return client.get(path, **kwargs)


def post(client, path, data, **kwargs):
    with translation.override("en"):
        return client.post(path, data, **kwargs)


def editor(username):
    """An operator who may also edit the help centre in the Wagtail admin."""
    user = make_user(username)
    services.grant_role(actor="test", user=user, role=Role.OPERATOR)
    return user


def enrol(client, user, at) -> str:
    """Set up an app for ``user`` (signed in on ``client``) at ``at``; returns the key."""
    with time_machine.travel(at, tick=False):
        page = post(client, ENROL, {"action": "start"}, follow=True).content.decode()
        key = re.search(r"data-totp-key>([A-Z2-7 ]+)<", page).group(1)
        assert post(client, ENROL, {"action": "confirm", "code": code(key)}).status_code == 302
    return key


def sign_in(client, username, key=None, *, at, ip="10.0.0.1"):
    with time_machine.travel(at, tick=False):
        response = post(client, LOGIN, {"username": username, "password": PASSWORD}, REMOTE_ADDR=ip)
        if key is not None:
            assert response.status_code == 302 and response["Location"] == CODE
            response = post(client, CODE, {"code": code(key)}, REMOTE_ADDR=ip)
    return response


@pytest.mark.django_db
def test_a_user_enrols_with_the_qr_code_or_the_key_and_then_signs_in_with_a_code(client):
    user = make_user("sam", Role.SELLER_ADMIN)
    t0 = timezone.now()
    client.force_login(user)
    with time_machine.travel(t0, tick=False):
        page = post(client, ENROL, {"action": "start"}, follow=True).content.decode()
    assert "<svg" in page and not re.search(r"<script(?![^>]*\ssrc=)", page), "inline SVG, made here"
    key = re.search(r"data-totp-key>([A-Z2-7 ]+)<", page).group(1)
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    assert base64.b32decode(key.replace(" ", "")) == device.bin_key

    with time_machine.travel(t0 + timedelta(seconds=1), tick=False):
        refused = post(client, ENROL, {"action": "confirm", "code": wrong(key)})
    assert "This code is not right" in refused.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    with time_machine.travel(t0 + timedelta(seconds=5), tick=False):
        assert post(client, ENROL, {"action": "confirm", "code": code(key)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEntry.objects.filter(action="auth.two_factor_enabled", actor_label="sam").exists()
    assert "<svg" not in get(client, ENROL).content.decode(), "the key is shown only while enrolling"

    client.post("/en/accounts/logout/")
    t1 = t0 + timedelta(minutes=2)
    with time_machine.travel(t1, tick=False):
        response = post(client, LOGIN, {"username": "sam", "password": PASSWORD})
        assert response.status_code == 302 and response["Location"] == CODE
        assert "_auth_user_id" not in client.session, "the password alone signs nobody in"
        assert get(client, "/en/backoffice/").status_code == 302
        response = post(client, CODE, {"code": code(key)})
    assert response.status_code == 302 and response["Location"] == "/en/backoffice/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert get(client, "/en/backoffice/").status_code == 200

    client.post("/en/accounts/logout/")
    with time_machine.travel(t1, tick=False):
        post(client, LOGIN, {"username": "sam", "password": PASSWORD})
        replay = post(client, CODE, {"code": code(key)})
    assert replay.status_code == 200 and "_auth_user_id" not in client.session, "a code works once"


@pytest.mark.django_db
def test_the_code_step_is_rate_limited_like_the_password(client, settings):
    settings.LOGIN_RATE_LIMIT = 5
    user = make_user("sam", Role.SELLER_ADMIN)
    client.force_login(user)
    t0 = timezone.now()
    key = enrol(client, user, t0)
    client.post("/en/accounts/logout/")

    t1 = t0 + timedelta(minutes=5)
    with time_machine.travel(t1, tick=False):
        post(client, LOGIN, {"username": "sam", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
        for _ in range(5):
            post(client, CODE, {"code": wrong(key)}, REMOTE_ADDR="10.0.0.1")
    with time_machine.travel(t1 + timedelta(minutes=2), tick=False):
        refused = post(client, CODE, {"code": code(key)}, REMOTE_ADDR="10.0.0.1")
    assert "Too many failed sign-in attempts" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="auth.login_failed", data__step="code").count() == 5

    response = sign_in(client, "sam", key, at=t1 + timedelta(minutes=3), ip="10.0.0.2")
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_the_code_step_waits_five_minutes_at_most(client):
    user = make_user("sam", Role.SELLER_ADMIN)
    client.force_login(user)
    t0 = timezone.now()
    key = enrol(client, user, t0)
    client.post("/en/accounts/logout/")
    with time_machine.travel(t0 + timedelta(minutes=1), tick=False):
        post(client, LOGIN, {"username": "sam", "password": PASSWORD})
    with time_machine.travel(t0 + timedelta(minutes=7), tick=False):
        response = post(client, CODE, {"code": code(key)})
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_removing_the_app_needs_a_code(client):
    user = make_user("sam", Role.SELLER_ADMIN)
    t0 = timezone.now()
    client.force_login(user)
    key = enrol(client, user, t0)
    with time_machine.travel(t0 + timedelta(minutes=1), tick=False):
        refused = post(client, ENROL, {"action": "remove", "code": wrong(key)})
        assert "This code is not right" in refused.content.decode()
        assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    with time_machine.travel(t0 + timedelta(minutes=2), tick=False):
        assert post(client, ENROL, {"action": "remove", "code": code(key)}).status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEntry.objects.filter(action="auth.two_factor_removed", actor_label="sam").exists()
    client.post("/en/accounts/logout/")
    assert sign_in(client, "sam", at=t0 + timedelta(minutes=3))["Location"] == "/en/backoffice/"


@pytest.mark.django_db
def test_a_session_without_the_second_factor_is_signed_out_wherever_it_goes(client):
    """A session opened without the code (before enrolment, or by another way in) reaches nothing: the
    back office, the Wagtail admin and the door pages all send it to sign in again."""
    operator = editor("olivia")
    client.force_login(operator)
    enrol(client, operator, timezone.now())
    for path in ("/en/backoffice/outbox/", "/cms/", "/cms/pages/", "/en/backoffice/two-factor/"):
        client.logout()
        client.force_login(operator)
        response = get(client, path)
        assert response.status_code == 302 and "/accounts/login/?next=" in response["Location"], path
        assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_operators_must_enrol_before_anything_else_when_required(client, settings):
    settings.REQUIRE_2FA_FOR_OPERATORS = True
    operator = editor("olivia")
    _, raw = tokens.create_token(actor=operator, user=operator, name="status scripts")
    client.force_login(operator)
    for path in ("/en/backoffice/", "/en/backoffice/outbox/", "/cms/", "/cms/pages/"):
        response = get(client, path)
        assert response.status_code == 302 and response["Location"].endswith("/backoffice/two-factor/"), path
    htmx = get(client, "/en/backoffice/audit/", HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"] == ENROL
    assert "Operators must use two-factor sign-in" in get(client, ENROL).content.decode()

    api = client.get("/api/v1/status/components/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.status_code == 200, "API tokens are separate credentials"

    seller = make_user("sam", Role.SELLER_ADMIN)
    other = client.__class__()
    other.force_login(seller)
    assert get(other, "/en/backoffice/").status_code == 200, "only operators are required to"

    t0 = timezone.now()
    key = enrol(client, operator, t0)
    assert get(client, "/en/backoffice/outbox/").status_code == 200
    assert get(client, "/cms/pages/").status_code == 200
    client.post("/en/accounts/logout/")
    sign_in(client, "olivia", key, at=t0 + timedelta(minutes=1))
    assert get(client, "/cms/pages/").status_code == 200


@pytest.mark.django_db
def test_a_lost_phone_is_removed_on_the_command_line(client):
    user = make_user("sam", Role.SELLER_ADMIN)
    client.force_login(user)
    t0 = timezone.now()
    enrol(client, user, t0)
    client.post("/en/accounts/logout/")
    call_command("remove_two_factor", "sam", stdout=StringIO())
    assert sign_in(client, "sam", at=t0 + timedelta(minutes=1))["Location"] == "/en/backoffice/"
    assert AuditEntry.objects.get(action="auth.two_factor_removed").actor_label == "manage.py"
    with pytest.raises(CommandError):
        call_command("remove_two_factor", "sam")
