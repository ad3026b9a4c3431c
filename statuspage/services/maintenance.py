"""Scheduled maintenance: announced, started and ended on time by the scheduler, with a reminder to
subscribers an hour before."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hub.audit import log_action
from hub.i18n import LANGUAGE_CODES
from hub.permissions import require_operator

from ..audit import Action
from ..models import ComponentStatus, Incident, IncidentComponent, IncidentUpdate
from .common import apply_components, publish_change, valid_language


@transaction.atomic
def schedule_maintenance(
    *,
    actor,
    name: str,
    body: str,
    scheduled_for,
    scheduled_until,
    components,
    language: str = "fr",
    notify: bool = True,
) -> Incident:
    require_operator(actor)
    if scheduled_until <= scheduled_for:
        raise ValidationError({"scheduled_until": _("The maintenance must end after it starts.")})
    if scheduled_for <= timezone.now():
        raise ValidationError({"scheduled_for": _("Schedule the maintenance in the future.")})
    now = timezone.now()
    incident = Incident.objects.create(
        kind=Incident.Kind.MAINTENANCE,
        name=name.strip(),
        language=valid_language(language),
        status=Incident.Status.SCHEDULED,
        impact=Incident.Impact.NONE,
        created_at=now,
        updated_at=now,
        started_at=scheduled_for,
        scheduled_for=scheduled_for,
        scheduled_until=scheduled_until,
        created_by=actor,
    )
    for component in components:
        IncidentComponent.objects.create(
            incident=incident, component=component, status=ComponentStatus.MAINTENANCE
        )
    update = IncidentUpdate.objects.create(
        incident=incident,
        status=Incident.Status.SCHEDULED,
        body=body.strip(),
        language=language,
        created_at=now,
        author=actor,
    )
    log_action(
        actor,
        Action.MAINTENANCE_SCHEDULED,
        incident,
        {"from": str(scheduled_for), "until": str(scheduled_until)},
    )
    publish_change("maintenance.scheduled" if notify else None, incident, update)
    return incident


def _automatic_text(message: str) -> tuple[str, dict]:
    """A scheduler's message in French, with its German and English translations."""
    texts = {}
    for language in LANGUAGE_CODES:
        with translation.override(language):
            texts[language] = _(message)
    return texts["fr"], {code: text for code, text in texts.items() if code != "fr"}


def run_maintenance_schedule(now=None) -> dict:
    """Start and end maintenance on time, and remind subscribers an hour before (the scheduler's job)."""
    now = now or timezone.now()
    counts = {"reminded": 0, "started": 0, "completed": 0}
    window = timedelta(minutes=settings.STATUS_MAINTENANCE_REMINDER_MINUTES)
    maintenances = Incident.objects.filter(kind=Incident.Kind.MAINTENANCE)
    for incident_id in maintenances.filter(
        status=Incident.Status.SCHEDULED,
        reminder_sent_at__isnull=True,
        scheduled_for__lte=now + window,
        scheduled_for__gt=now,
    ).values_list("pk", flat=True):
        with transaction.atomic():
            if Incident.objects.filter(pk=incident_id, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            ):
                publish_change("maintenance.reminder", Incident.objects.get(pk=incident_id))
                counts["reminded"] += 1
    for incident_id in maintenances.filter(
        status=Incident.Status.SCHEDULED, scheduled_for__lte=now
    ).values_list("pk", flat=True):
        counts["started"] += _move_maintenance(
            incident_id,
            Incident.Status.SCHEDULED,
            Incident.Status.IN_PROGRESS,
            ComponentStatus.MAINTENANCE,
            gettext_noop("The scheduled maintenance has started."),
            "maintenance.started",
            Action.MAINTENANCE_IN_PROGRESS,
            now,
        )
    for incident_id in maintenances.filter(
        status__in=[Incident.Status.IN_PROGRESS, Incident.Status.VERIFYING], scheduled_until__lte=now
    ).values_list("pk", flat=True):
        counts["completed"] += _move_maintenance(
            incident_id,
            None,
            Incident.Status.COMPLETED,
            ComponentStatus.OPERATIONAL,
            gettext_noop("The scheduled maintenance is completed."),
            "maintenance.completed",
            Action.MAINTENANCE_COMPLETED,
            now,
        )
    return counts


@transaction.atomic
def _move_maintenance(incident_id, expected, status, component_status, message, event, action, now) -> int:
    incident = Incident.objects.select_for_update(skip_locked=True).filter(pk=incident_id).first()
    if incident is None or incident.status in Incident.CLOSED or (expected and incident.status != expected):
        return 0  # another scheduler took it
    changes = apply_components(
        incident, {link.component: component_status for link in incident.affected.all()}, now
    )
    incident.status = status
    incident.updated_at = now
    if status == Incident.Status.COMPLETED:
        incident.resolved_at = now
    incident.save(update_fields=["status", "updated_at", "resolved_at"])
    body, translations = _automatic_text(message)
    update = IncidentUpdate.objects.create(
        incident=incident,
        status=status,
        body=body,
        language="fr",
        translations=translations,
        affected_components=changes,
        created_at=now,
    )
    log_action("scheduler", action, incident)
    publish_change(event, incident, update)
    return 1
