"""The audit log: every service records who changed what, when, and how.

Action codes are constants: each app defines its codes once, as a ``TextChoices`` class in its own
``audit.py`` registered with ``@register``, and passes the members to ``log_action``. An unregistered code
is refused, so no free-text code reaches the log; the labels translate the codes in the audit filter.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry

_labels: dict[str, str] = {}
_groups: list[tuple[str, type[models.TextChoices]]] = []


def register(group: str):
    """Class decorator: make a ``TextChoices`` class's codes valid audit actions, shown under ``group``."""

    def decorator(actions: type[models.TextChoices]) -> type[models.TextChoices]:
        for code, label in actions.choices:
            if _labels.get(code, label) != label:
                raise ValueError(f"audit action {code!r} is registered twice")
            _labels[code] = label
        if all(registered is not actions for _group, registered in _groups):
            _groups.append((group, actions))
        return actions

    return decorator


def label(code: str) -> str:
    """The translated label of an action code (the code itself for one no longer registered)."""
    return _labels.get(code, code)


def choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every registered action, grouped by app, for a select."""
    return [(group, list(actions.choices)) for group, actions in _groups]


def log_action(
    actor, action: str, target=None, data: dict | None = None, *, ip: str | None = None, save: bool = True
) -> AuditEntry:
    """Record ``action`` (a registered code) by ``actor`` (a user, a label such as ``"twilio"``, or None for
    the system). ``target`` is a model instance (or None); ``data`` holds what changed, e.g.
    ``{"before": …, "after": …}``."""
    if action not in _labels:
        raise ValueError(f"unregistered audit action {action!r}: add it to the app's audit actions")
    user = actor if getattr(actor, "is_authenticated", False) else None
    actor_label = user.get_username() if user is not None else str(actor or "system")
    target_type = target_id = target_label = ""
    if isinstance(target, models.Model):
        target_type = target._meta.label_lower
        target_id = str(target.pk)
        target_label = str(target)[:255]
    entry = AuditEntry(
        actor=user,
        actor_label=actor_label,
        action=str(action),
        target_type=target_type,
        target_id=target_id,
        target_label=target_label,
        data=data or {},
        ip=ip,
    )
    if save:
        entry.save(force_insert=True)
    return entry


def log_actions(actor, action: str, targets, data: dict | None = None) -> int:
    """``log_action`` for many targets at once, in one statement (a sweep that marks many rows)."""
    entries = [log_action(actor, action, target, data, save=False) for target in targets]
    AuditEntry.objects.bulk_create(entries, batch_size=500)
    return len(entries)


@register(_("Accounts and platform"))
class HubAction(models.TextChoices):
    LOGIN = "auth.login", _("Signed in")
    LOGIN_FAILED = "auth.login_failed", _("Sign-in failed")
    LOGIN_REFUSED = "auth.login_refused", _("Sign-in refused (too many attempts)")
    PASSWORD_RESET_REQUESTED = "auth.password_reset_requested", _("Password reset requested")
    TWO_FACTOR_ENABLED = "auth.two_factor_enabled", _("Two-factor sign-in turned on")
    TWO_FACTOR_REMOVED = "auth.two_factor_removed", _("Two-factor sign-in turned off")
    ROLE_GRANTED = "role.granted", _("Role granted")
    ROLE_REVOKED = "role.revoked", _("Role revoked")
    LANGUAGE_CHANGED = "user.language_changed", _("Language changed")
    API_TOKEN_CREATED = "api_token.created", _("API token created")
    API_TOKEN_REVOKED = "api_token.revoked", _("API token revoked")
    SUPPRESSION_ADDED = "suppression.added", _("Address suppressed")
    SUPPRESSION_REMOVED = "suppression.removed", _("Address no longer suppressed")
    OUTBOX_RETRIED = "outbox.retried", _("Message sent again")
    SMS_INBOUND_REJECTED = "sms.inbound_rejected", _("Inbound SMS rejected")
