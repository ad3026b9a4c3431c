"""Personal API tokens: ``Authorization: Bearer gt_…``."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .audit import HubAction, log_action
from .models import ApiToken

PREFIX = "gt_"


def new_raw(prefix: str) -> str:
    """A bearer token's value: ``prefix`` and 256 random bits; shown once, never stored."""
    return prefix + secrets.token_urlsafe(32)


def digest(raw: str) -> str:
    """What is stored of a token, and what a presented one is looked up by."""
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_token(*, actor, user, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; the raw value is returned once and never stored."""
    raw = new_raw(PREFIX)
    token = ApiToken.objects.create(user=user, name=name, digest=digest(raw), prefix=raw[:10])
    log_action(actor, HubAction.API_TOKEN_CREATED, user, {"name": name, "prefix": token.prefix})
    return token, raw


@transaction.atomic
def revoke_token(*, actor, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_action(actor, HubAction.API_TOKEN_REVOKED, token.user, {"prefix": token.prefix})


def authenticate(raw: str):
    """The active user behind a live token, or None."""
    if not raw.startswith(PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
