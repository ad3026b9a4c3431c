"""The audit log: every service records who changed what, when, and how."""

from django.db import models

from .models import AuditEntry


def log_action(
    actor, action: str, target=None, data: dict | None = None, *, ip: str | None = None
) -> AuditEntry:
    """Record ``action`` by ``actor`` (a user, a label such as ``"twilio"``, or None for the system).

    ``target`` is a model instance (or None); ``data`` holds what changed, e.g. ``{"before": …, "after": …}``.
    """
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = user.get_username() if user is not None else str(actor or "system")
    target_type = target_id = target_label = ""
    if isinstance(target, models.Model):
        target_type = target._meta.label_lower
        target_id = str(target.pk)
        target_label = str(target)[:255]
    return AuditEntry.objects.create(
        actor=user,
        actor_label=label,
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label,
        data=data or {},
        ip=ip,
    )
