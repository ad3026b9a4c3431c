"""SMS gateway: a console backend for the demo and tests, and Twilio (Messaging Service + Verify).

``SMS_BACKEND`` picks one (``console`` unless Twilio credentials are set). Outgoing SMS are sent by the
outbox (``hub.messaging.enqueue_sms``), never directly from a request.

SMS cost money and anyone can ask for a verification code, so every code goes through one guard
(``start_verification``): only to a mobile number (``normalise_mobile``) of ``SMS_ALLOWED_COUNTRIES``, and
at most ``SMS_DAILY_LIMIT_PER_NUMBER`` a day to one number, ``SMS_DAILY_LIMIT_PER_ADDRESS`` a day for one
client address and ``SMS_DAILY_LIMIT`` a day in all. A refusal (``SmsRefused``) comes before anything is sent.
"""

import enum
import hashlib
import hmac
import logging
import re
import secrets
from datetime import timedelta

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from . import ratelimit
from .models import ConsoleSms, ConsoleVerification

logger = logging.getLogger(__name__)

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
VERIFICATION_TTL = timedelta(minutes=10)
VERIFICATION_MAX_CHECKS = 5


class SmsError(Exception):
    """Sending failed; ``permanent`` when retrying can never succeed (invalid or opted-out number)."""

    def __init__(self, message: str, *, permanent: bool = False, opted_out: bool = False):
        super().__init__(message)
        self.permanent = permanent
        self.opted_out = opted_out


class Verification(enum.Enum):
    APPROVED = "approved"
    WRONG_CODE = "wrong_code"
    EXPIRED = "expired"  # no verification running: never started, expired or too many attempts


def is_e164(number: str) -> bool:
    return bool(E164.match(number or ""))


def status_callback_url() -> str:
    return settings.SITE_URL + reverse("twilio_status")


class ConsoleBackend:
    """Records every message in the database and the log instead of sending it."""

    def send(self, *, to: str, body: str) -> str:
        record = ConsoleSms.objects.create(to=to, body=body)
        logger.info("SMS to %s: %s", to, body)
        return f"console-{record.pk}"

    def start_verification(self, *, to: str) -> None:
        code = f"{secrets.randbelow(1_000_000):06d}"
        with transaction.atomic():
            ConsoleVerification.objects.update_or_create(
                phone=to,
                defaults={
                    "code_digest": _digest(to, code),
                    "expires_at": timezone.now() + VERIFICATION_TTL,
                    "attempts": 0,
                },
            )
            ConsoleSms.objects.create(to=to, body=f"Guichet: {code}", kind=ConsoleSms.Kind.VERIFICATION)
        logger.warning("Verification code for %s: %s", to, code)

    def check_verification(self, *, to: str, code: str) -> Verification:
        with transaction.atomic():
            pending = (
                ConsoleVerification.objects.select_for_update()
                .filter(phone=to, expires_at__gt=timezone.now(), attempts__lt=VERIFICATION_MAX_CHECKS)
                .first()
            )
            if pending is None:
                return Verification.EXPIRED
            if hmac.compare_digest(pending.code_digest, _digest(to, code.strip())):
                pending.delete()
                return Verification.APPROVED
            pending.attempts += 1
            pending.save(update_fields=["attempts"])
            return Verification.WRONG_CODE


def _digest(phone: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


# Twilio error codes that mean "never retry": invalid number, unreachable, opted out (21610).
TWILIO_PERMANENT_ERRORS = {21211, 21214, 21408, 21610, 21612, 21614}
TWILIO_OPTED_OUT = 21610


class TwilioBackend:
    def __init__(self):
        self.client = Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN)

    def send(self, *, to: str, body: str) -> str:
        try:
            message = self.client.messages.create(
                to=to,
                body=body,
                messaging_service_sid=settings.TWILIO_MESSAGING_SERVICE_SID,
                status_callback=status_callback_url(),
            )
        except TwilioRestException as exc:
            raise SmsError(
                f"Twilio {exc.status} error {exc.code}: {exc.msg}",
                permanent=exc.code in TWILIO_PERMANENT_ERRORS,
                opted_out=exc.code == TWILIO_OPTED_OUT,
            ) from exc
        except (TwilioException, OSError) as exc:
            raise SmsError(f"Twilio unreachable: {exc}") from exc
        return message.sid

    def _verify(self):
        return self.client.verify.v2.services(settings.TWILIO_VERIFY_SERVICE_SID)

    def start_verification(self, *, to: str) -> None:
        self._verify().verifications.create(to=to, channel="sms")

    def check_verification(self, *, to: str, code: str) -> Verification:
        try:
            check = self._verify().verification_checks.create(to=to, code=code.strip())
        except TwilioRestException as exc:
            if exc.status in (404, 429):  # expired, already approved, or too many attempts
                return Verification.EXPIRED
            raise
        return Verification.APPROVED if check.status == "approved" else Verification.WRONG_CODE


def get_backend():
    return TwilioBackend() if settings.SMS_BACKEND == "twilio" else ConsoleBackend()


def send_sms(*, to: str, body: str) -> str:
    """Send now (the outbox calls this); returns the provider's message id."""
    return get_backend().send(to=to, body=body)


class SmsRefused(ValidationError):
    """We will not text this number now; ``messages`` holds the reason for the user, in their language."""


# What phonenumbers calls a number that may receive SMS: a mobile, or a number of a country whose numbering
# plan does not tell mobiles from landlines (phonenumbers says FIXED_LINE_OR_MOBILE only for those).
_TEXTABLE = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


def normalise_mobile(number: str) -> str:
    """The number (international form) in E.164 if it is a mobile of an allowed country; else SmsRefused."""
    try:
        parsed = phonenumbers.parse(number or "", None)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        raise SmsRefused(_("Enter the number in international form, e.g. +33612345678."), code="invalid")
    if phonenumbers.region_code_for_number(parsed) not in settings.SMS_ALLOWED_COUNTRIES:
        raise SmsRefused(_("This number cannot receive SMS from us."), code="country")
    if phonenumbers.number_type(parsed) not in _TEXTABLE:
        raise SmsRefused(_("This number cannot receive SMS from us."), code="not_mobile")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _daily_limits(number: str, ip: str) -> list[tuple[str, str, int, str, str]]:
    """(scope, identity, limit, code, message) of each limit; identities carry the date, so a day is a day."""
    today = timezone.localdate().isoformat()
    return [
        (
            "sms-number",
            f"{today}|{number}",
            settings.SMS_DAILY_LIMIT_PER_NUMBER,
            "number_limit",
            _("Too many codes sent to this number today. Please try again tomorrow."),
        ),
        (
            "sms-address",
            f"{today}|{ip}",
            settings.SMS_DAILY_LIMIT_PER_ADDRESS,
            "address_limit",
            _("Too many codes requested from your address today. Please try again tomorrow."),
        ),
        (
            "sms-day",
            today,
            settings.SMS_DAILY_LIMIT,
            "daily_limit",
            _("We cannot send more codes today. Please try again tomorrow or contact us."),
        ),
    ]


def start_verification(*, to: str, ip: str) -> None:
    """Text a verification code to ``to`` for the client at ``ip``, unless the guard refuses (``SmsRefused``,
    before anything is sent). Every SMS verification and SMS subscription comes through here."""
    number = normalise_mobile(to)
    limits = _daily_limits(number, ip)
    for scope, identity, limit, code, message in limits:
        if ratelimit.is_limited(scope, identity, limit=limit):
            raise SmsRefused(message, code=code)
    for scope, identity, limit, _code, _message in limits:
        ratelimit.hit(scope, identity, limit=limit, window=2 * 86400)
    get_backend().start_verification(to=number)


def check_verification(*, to: str, code: str) -> Verification:
    return get_backend().check_verification(to=to, code=code)


STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "ARRET", "ARRÊT", "STOPP"}
START_WORDS = {"START", "YES", "UNSTOP"}


def is_valid_twilio_request(request) -> bool:
    """Check ``X-Twilio-Signature`` against the public URL Twilio called and the posted fields."""
    signature = request.headers.get("X-Twilio-Signature", "")
    if not settings.TWILIO_AUTH_TOKEN or not signature:
        return False
    url = settings.SITE_URL + request.get_full_path()
    return RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(url, request.POST.dict(), signature)
