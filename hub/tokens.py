"""Personal API tokens: ``Authorization: Bearer gt_…``.

A token lasts ``days`` (a year unless its creator chose otherwise, at most ``MAX_DAYS``); an expired or
revoked token is refused like an unknown one. Users manage their own tokens, operators everyone's.
"""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import HubAction, log_action
from .models import ApiToken, Role
from .permissions import require_operator

PREFIX = "gt_"
DEFAULT_DAYS = 365
MAX_DAYS = 730
ROLES = (Role.OPERATOR, Role.SELLER_ADMIN)  # the staff who use the API with personal tokens


READABLE = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out on the phone without a doubt


def readable_code(length: int, prefix: str = "") -> str:
    """A short public code people read, type and spell (order references, account IDs, request numbers)."""
    return prefix + "".join(secrets.choice(READABLE) for _ in range(length))


def new_raw(prefix: str) -> str:
    """A bearer token's value: ``prefix`` and 256 random bits; shown once, never stored."""
    return prefix + secrets.token_urlsafe(32)


def digest(raw: str) -> str:
    """What is stored of a token, and what a presented one is looked up by."""
    return hashlib.sha256(raw.encode()).hexdigest()


def _require_may_manage(actor, owner) -> None:
    """A signed-in user manages their own tokens, an operator anyone's; a label such as ``manage.py`` may."""
    if getattr(actor, "is_authenticated", False) and actor.pk != owner.pk:
        require_operator(actor)


@transaction.atomic
def create_token(*, actor, user, name: str, days: int = DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """A new token for ``user`` valid ``days`` days; the raw value is returned once and never stored."""
    _require_may_manage(actor, user)
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(
            {"days": _("A token lasts from 1 to %(max)s days.") % {"max": MAX_DAYS}}, code="days"
        )
    raw = new_raw(PREFIX)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        digest=digest(raw),
        prefix=raw[:10],
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    log_action(
        actor,
        HubAction.API_TOKEN_CREATED,
        user,
        {"name": name, "prefix": token.prefix, "expires_at": token.expires_at},
    )
    return token, raw


@transaction.atomic
def revoke_token(*, actor, token: ApiToken) -> bool:
    """Revoke ``token`` at once; False when it already was."""
    _require_may_manage(actor, token.user)
    now = timezone.now()
    if not ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now):
        return False
    token.revoked_at = now
    log_action(actor, HubAction.API_TOKEN_REVOKED, token.user, {"name": token.name, "prefix": token.prefix})
    return True


def authenticate(raw: str):
    """The active user behind a live token (neither expired nor revoked), or None."""
    if not raw.startswith(PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest(raw), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
