"""What every write of the status page shares: validation of statuses and languages, the status history
of components, the set-up of components, groups and playbooks (texts per language, positions,
retirement), and what happens after commit (the public snapshot is rebuilt, subscribers are notified,
listeners get the domain events)."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.celery import delay_on_commit
from hub.i18n import LANGUAGE_CODES
from hub.signals import send_on_commit

from .. import snapshot
from ..models import Component, ComponentStatus, ComponentStatusChange, Incident, IncidentComponent
from ..signals import component_status_changed


def publish_change(notify_event: str | None = None, incident: Incident | None = None, update=None) -> None:
    """After commit: make the change public at once, then tell subscribers (a Celery task that fans out
    through the outbox) when ``notify_event`` is given."""
    transaction.on_commit(snapshot.rebuild)
    if notify_event and incident is not None:
        delay_on_commit(
            "statuspage.notify_subscribers", notify_event, incident.pk, update.pk if update else None
        )


def valid_component_status(status: str) -> ComponentStatus:
    if status not in ComponentStatus.values:
        raise ValidationError(_("Unknown component status: %(status)s.") % {"status": status})
    return ComponentStatus(status)


def valid_language(language: str) -> str:
    if language not in LANGUAGE_CODES:
        raise ValidationError(_("Unknown language."))
    return language


def record_status(component: Component, status: str, now, *, incident: Incident | None = None) -> str:
    """Set and record a component's status; returns the previous one."""
    previous = component.status
    if previous != status:
        component.status = status
        component.updated_at = now
        component.save(update_fields=["status", "updated_at"])
        ComponentStatusChange.objects.create(component=component, status=status, started_at=now)
        send_on_commit(
            component_status_changed,
            Component,
            component_id=component.pk,
            slug=component.slug,
            previous_status=previous,
            status=status,
            incident_id=incident.pk if incident else None,
        )
    return previous


def apply_components(incident: Incident, components: dict, now) -> list[dict]:
    """Give each affected component its status for this incident; returns what changed, for the update."""
    changes = []
    for component, status in components.items():
        status = valid_component_status(status)
        IncidentComponent.objects.update_or_create(
            incident=incident, component=component, defaults={"status": status}
        )
        old = record_status(component, status, now, incident=incident)
        changes.append(
            {"code": component.code, "name": component.name_fr, "old_status": old, "new_status": status}
        )
    return changes


def set_fields(obj: models.Model, changes: dict, *, texts: tuple[str, ...] = ()) -> dict:
    """Apply ``changes`` to ``obj`` and validate it (``ValidationError`` by field otherwise). The fields in
    ``texts`` are kept once per language and given as ``{"fr": …, "de": …, "en": …}`` (a language left out
    is left as it is). Returns what changed, ``{"before": {…}, "after": {…}}``, for the audit log."""
    before, after = {}, {}
    for name, value in changes.items():
        if name in texts:
            unknown = sorted(set(value) - set(LANGUAGE_CODES))
            if unknown:
                raise ValidationError(
                    {name: _("Unknown language: %(codes)s.") % {"codes": ", ".join(unknown)}}
                )
            fields = {f"{name}_{code}": (text or "").strip() for code, text in value.items()}
        else:
            fields = {name: value}
        for field, new in fields.items():
            old = getattr(obj, field)
            if old != new:
                before[field], after[field] = _plain(old), _plain(new)
                setattr(obj, field, new)
    obj.full_clean()
    return {"before": before, "after": after}


def _plain(value):
    return str(value) if isinstance(value, models.Model) else value


def set_retired(obj: models.Model, retired: bool) -> bool:
    """Retire ``obj`` (off the public page and the forms, kept for history) or bring it back; True when
    that changed something."""
    if retired == (obj.retired_at is not None):
        return False
    obj.retired_at = timezone.now() if retired else None
    return True


def next_position(model) -> int:
    """After the last one: a new component, group or playbook comes last until it is moved."""
    return (model.objects.aggregate(last=Max("position"))["last"] or 0) + 1
