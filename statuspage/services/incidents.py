"""Incidents: opening, updates and resolution, translations, postmortems, workarounds, and the back-office
pop-up's dismissals. Listeners get ``incident_opened``, ``incident_updated`` and ``incident_resolved``
after commit (see ``statuspage.signals``)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.audit import log_action
from hub.permissions import require_operator
from hub.signals import send_on_commit

from ..audit import Action
from ..models import SEVERITY, ComponentStatus, Incident, IncidentComponent, IncidentUpdate, NoticeDismissal
from ..signals import incident_opened, incident_resolved, incident_updated
from .common import apply_components, publish_change, valid_language


@transaction.atomic
def create_incident(
    *,
    actor,
    name: str,
    status: str,
    impact: str,
    body: str,
    components: dict,
    language: str = "fr",
    playbooks=(),
    notify: bool = True,
) -> Incident:
    """Open an incident: its first update, the components it affects, the playbooks readers should follow."""
    require_operator(actor)
    if status not in Incident.INCIDENT_STATUSES or status == Incident.Status.RESOLVED:
        raise ValidationError({"status": _("A new incident is investigating, identified or monitoring.")})
    if impact not in Incident.Impact.values:
        raise ValidationError({"impact": _("Unknown impact.")})
    if not name.strip() or not body.strip():
        raise ValidationError(_("An incident needs a title and a first message."))
    now = timezone.now()
    incident = Incident.objects.create(
        kind=Incident.Kind.INCIDENT,
        name=name.strip(),
        language=valid_language(language),
        status=status,
        impact=impact,
        created_at=now,
        updated_at=now,
        started_at=now,
        created_by=actor,
        monitoring_at=now if status == Incident.Status.MONITORING else None,
    )
    incident.playbooks.set(playbooks)
    changes = apply_components(incident, components, now)
    update = IncidentUpdate.objects.create(
        incident=incident,
        status=status,
        body=body.strip(),
        language=language,
        affected_components=changes,
        created_at=now,
        author=actor,
    )
    log_action(
        actor,
        Action.INCIDENT_CREATED,
        incident,
        {"impact": impact, "components": [c["code"] for c in changes]},
    )
    publish_change("incident.created" if notify else None, incident, update)
    send_on_commit(
        incident_opened,
        Incident,
        incident_id=incident.pk,
        code=incident.code,
        impact=incident.impact,
        status=status,
        components=[component.slug for component in components],
        update_id=update.pk,
    )
    return incident


@transaction.atomic
def post_update(
    *,
    actor,
    incident: Incident,
    status: str,
    body: str,
    components: dict | None = None,
    language: str = "fr",
    notify: bool = True,
) -> IncidentUpdate:
    """A new step of the timeline. Resolving puts the affected components back to operational unless told
    otherwise."""
    require_operator(actor)
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    allowed = (
        Incident.INCIDENT_STATUSES
        if incident.kind == Incident.Kind.INCIDENT
        else Incident.MAINTENANCE_STATUSES
    )
    if status not in allowed:
        raise ValidationError({"status": _("This status does not apply here.")})
    if not body.strip():
        raise ValidationError({"body": _("Write a message for the readers.")})
    if not incident.is_open:
        raise ValidationError(_("This incident is closed: reopen it by creating a new one."))
    now = timezone.now()
    components = dict(components or {})
    if status in Incident.CLOSED:
        components = {**_statuses_after_closing(incident), **components}
    changes = apply_components(incident, components, now)
    before = incident.status
    incident.status = status
    incident.updated_at = now
    if status == Incident.Status.MONITORING and not incident.monitoring_at:
        incident.monitoring_at = now
    if status in Incident.CLOSED:
        incident.resolved_at = now
    incident.save(update_fields=["status", "updated_at", "monitoring_at", "resolved_at"])
    update = IncidentUpdate.objects.create(
        incident=incident,
        status=status,
        body=body.strip(),
        language=valid_language(language),
        affected_components=changes,
        created_at=now,
        author=actor,
    )
    log_action(actor, Action.INCIDENT_UPDATED, incident, {"before": before, "after": status})
    event = {
        Incident.Status.RESOLVED: "incident.resolved",
        Incident.Status.COMPLETED: "maintenance.completed",
        Incident.Status.IN_PROGRESS: "maintenance.started",
    }.get(status, "incident.updated" if incident.kind == Incident.Kind.INCIDENT else "maintenance.updated")
    publish_change(event if notify else None, incident, update)
    if incident.kind == Incident.Kind.INCIDENT:
        _send_incident_event(incident, update, previous_status=before)
    return update


def _statuses_after_closing(incident: Incident) -> dict:
    """What closing ``incident`` gives each of its components when the operator names no status: operational,
    or the worst status another open incident or running maintenance still gives it."""
    others = (
        IncidentComponent.objects.filter(component__in=incident.affected.values("component"))
        .exclude(incident=incident)
        .exclude(incident__status__in=Incident.CLOSED)
        .exclude(incident__status=Incident.Status.SCHEDULED)
        .values_list("component_id", "status")
    )
    still = {}
    for component_id, status in others:
        if SEVERITY[status] > SEVERITY[still.get(component_id, ComponentStatus.OPERATIONAL)]:
            still[component_id] = status
    return {
        link.component: still.get(link.component_id, ComponentStatus.OPERATIONAL)
        for link in incident.affected.select_related("component")
    }


def _send_incident_event(incident: Incident, update: IncidentUpdate, *, previous_status: str) -> None:
    common = {
        "incident_id": incident.pk,
        "code": incident.code,
        "impact": incident.impact,
        "components": list(incident.affected.values_list("component__slug", flat=True)),
        "update_id": update.pk,
    }
    if incident.status == Incident.Status.RESOLVED:
        send_on_commit(incident_resolved, Incident, resolved_at=incident.resolved_at, **common)
    else:
        send_on_commit(
            incident_updated, Incident, status=incident.status, previous_status=previous_status, **common
        )


def resolve_incident(
    *,
    actor,
    incident: Incident,
    body: str,
    language: str = "fr",
    components: dict | None = None,
    notify: bool = True,
) -> IncidentUpdate:
    """Resolve: the incident's components go back to operational, except those ``components`` gives another
    status (``{component: status}``)."""
    return post_update(
        actor=actor,
        incident=incident,
        status=Incident.Status.RESOLVED,
        body=body,
        language=language,
        components=components,
        notify=notify,
    )


@transaction.atomic
def translate(
    *,
    actor,
    incident: Incident,
    language: str,
    name: str = "",
    update: IncidentUpdate | None = None,
    body: str = "",
) -> None:
    """Add the title or an update in another language; readers in that language get it."""
    require_operator(actor)
    valid_language(language)
    if name.strip():
        incident.name_translations = {**incident.name_translations, language: name.strip()}
        incident.save(update_fields=["name_translations"])
    if update is not None and body.strip():
        update.translations = {**update.translations, language: body.strip()}
        update.save(update_fields=["translations"])
    log_action(actor, Action.TRANSLATED, incident, {"language": language})
    publish_change()


@transaction.atomic
def set_postmortem(*, actor, incident: Incident, body: str, publish: bool) -> Incident:
    require_operator(actor)
    incident.postmortem = body.strip()
    incident.postmortem_published_at = timezone.now() if publish and body.strip() else None
    incident.save(update_fields=["postmortem", "postmortem_published_at"])
    log_action(actor, Action.POSTMORTEM, incident, {"published": bool(incident.postmortem_published_at)})
    publish_change()
    return incident


@transaction.atomic
def dismiss_notice(*, user, incident: Incident) -> None:
    """Close the back-office pop-up of this incident for this user, until its next update."""
    latest = incident.updates.first()
    _, created = NoticeDismissal.objects.update_or_create(
        user=user, incident=incident, defaults={"update": latest}
    )
    log_action(user, Action.NOTICE_DISMISSED, incident, {"update": latest.code, "again": not created})


@transaction.atomic
def set_playbooks(*, actor, incident: Incident, playbooks) -> None:
    require_operator(actor)
    incident.playbooks.set(playbooks)
    log_action(actor, Action.PLAYBOOKS_ATTACHED, incident, {"playbooks": [p.key for p in playbooks]})
    publish_change()
