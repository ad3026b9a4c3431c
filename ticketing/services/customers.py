"""The customer space (T12): a buyer signs in with a link sent to the address they bought with."""

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from hub import messaging, ratelimit
from hub.celery import task

from ..models import Order

SIGN_IN_MAX_AGE = 30 * 60
SALT = "ticketing.customer-space"


class TooManyRequests(Exception):
    pass


def request_sign_in_link(*, email: str, language: str, ip: str) -> None:
    """Rate-limit, then let a worker decide whether to send: the answer and its timing never tell
    whether the address bought anything."""
    email = email.strip().lower()
    if not (
        ratelimit.hit("customer-link-ip", ip, limit=10, window=3600)
        and ratelimit.hit("customer-link-email", email, limit=3, window=3600)
    ):
        raise TooManyRequests
    task("ticketing.send_customer_link").delay(email, language)  # nothing to commit first


def send_sign_in_link(*, email: str, language: str) -> bool:
    """Email a sign-in link if this address has orders; True when one was sent."""
    if not Order.objects.filter(buyer_email__iexact=email).exists():
        return False
    token = signing.dumps(email, salt=SALT)
    with translation.override(language):
        url = settings.SITE_URL + reverse("ticketing:customer_sign_in", args=[token])
        messaging.enqueue_email(
            to=email,
            subject=_("Your link to your Guichet tickets"),
            body=render_to_string(
                "ticketing/emails/customer_link.txt", {"url": url, "minutes": SIGN_IN_MAX_AGE // 60}
            ),
            idempotency_key=f"customer-link:{token}",
            sensitive=True,
        )
    return True


def email_from_token(token: str) -> str | None:
    try:
        return signing.loads(token, salt=SALT, max_age=SIGN_IN_MAX_AGE)
    except signing.BadSignature:
        return None
