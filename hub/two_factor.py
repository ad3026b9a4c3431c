"""Optional two-factor sign-in with an authenticator app (TOTP, django-otp's ``otp_totp`` devices).

A user enrols from the back office: a new, unconfirmed device shows its key (QR code and text), and a code
from the app confirms it. From then on, signing in takes two steps: the password, then a code. Between
the two the session holds only a pending sign-in (``PENDING_KEY``, at most ``PENDING_SECONDS`` old); the
user is signed in by the code. A session without the second factor (``request.user.is_verified()``,
django-otp's middleware) of a user who has a device is signed out (``hub.middleware.SecondFactorMiddleware``).
With ``REQUIRE_2FA_FOR_OPERATORS`` an operator without a device is sent to enrolment first.
API tokens are separate credentials and are not affected.
"""

import base64
import time

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import HubAction, log_action
from .models import User
from .permissions import is_operator

PENDING_KEY = "hub_two_factor_pending"
PENDING_SECONDS = 300


def device_of(user, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).first()


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def must_enrol(user) -> bool:
    """An operator without a device while ``REQUIRE_2FA_FOR_OPERATORS`` is on."""
    return settings.REQUIRE_2FA_FOR_OPERATORS and is_operator(user) and not has_device(user)


def verify(device: TOTPDevice | None, code: str) -> bool:
    """Check ``code`` with django-otp (a code is accepted once; failures slow the device down)."""
    code = "".join(code.split())
    return device is not None and django_otp.verify_token(device.user, device.persistent_id, code) is not None


# --- The sign-in's second step -------------------------------------------------------------------------


def start_second_step(request, user, redirect_to: str) -> None:
    """The password was right: remember who is signing in, and where to, until the code comes."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "next": redirect_to,
        "since": time.time(),
    }


def pending_sign_in(request) -> tuple[User, dict] | None:
    """The user waiting for the second step and what was remembered, unless it is too old."""
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["since"] > PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    return (user, pending) if user is not None else None


def end_second_step(request) -> None:
    request.session.pop(PENDING_KEY, None)


# --- Enrolment -----------------------------------------------------------------------------------------


@transaction.atomic
def start_enrolment(*, actor: User) -> TOTPDevice:
    """A new key for ``actor``'s app; it counts only once a code confirms it."""
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    return TOTPDevice.objects.create(user=actor, name="Authenticator app", confirmed=False)


@transaction.atomic
def confirm_enrolment(*, actor: User, code: str) -> TOTPDevice | None:
    """Confirm the pending device with a code from the app; the device, or None for a wrong code."""
    device = device_of(actor, confirmed=False)
    if not verify(device, code):
        return None
    TOTPDevice.objects.filter(user=actor, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    log_action(actor, HubAction.TWO_FACTOR_ENABLED, actor)
    return device


@transaction.atomic
def remove_device(*, actor: User, code: str) -> bool:
    """Turn two-factor sign-in off, with a code from the app; False for a wrong code."""
    return verify(device_of(actor), code) and reset(actor=actor, user=actor)


@transaction.atomic
def reset(*, actor, user: User) -> bool:
    """Remove ``user``'s app without a code (``manage.py remove_two_factor``, for a lost phone)."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    if deleted:
        log_action(actor, HubAction.TWO_FACTOR_REMOVED, user)
    return bool(deleted)


def manual_key(device: TOTPDevice) -> str:
    """The key as an app asks for it when typed in: base32, in groups of four."""
    key = base64.b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The ``otpauth://`` address as an inline SVG QR code (no image request, nothing sent elsewhere)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=15)
    return image.to_string(encoding="unicode")
