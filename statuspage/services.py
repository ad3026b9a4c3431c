"""Every write of the status page: components, incidents, maintenance, playbooks, subscribers.

Each write is atomic and audited; after commit the public snapshot is rebuilt (a change is public at once)
and subscribers are notified by a Celery task that fans out through the outbox.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hub import ratelimit, sms
from hub.audit import log_action
from hub.messaging.webhooks import resolve_public_target
from hub.permissions import require_operator

from . import notifications, snapshot
from .audit import Action
from .models import (
    Component,
    ComponentStatus,
    ComponentStatusChange,
    Incident,
    IncidentComponent,
    IncidentUpdate,
    NoticeDismissal,
    Playbook,
    Subscriber,
)

LANGUAGES = [code for code, _ in settings.LANGUAGES]
SUBSCRIPTIONS_PER_HOUR = 5


def _after_commit(
    event: str | None = None, incident: Incident | None = None, update: IncidentUpdate | None = None
):
    """Publish the change, then tell subscribers (in the background, through the outbox)."""
    from .tasks import notify_subscribers  # tasks import this module

    transaction.on_commit(snapshot.rebuild)
    if event and incident is not None:
        incident_id, update_id = incident.pk, update.pk if update else None
        transaction.on_commit(lambda: notify_subscribers.delay(event, incident_id, update_id))


def _record_status(component: Component, status: str, now) -> str:
    """Set and record a component's status; returns the previous one."""
    previous = component.status
    if previous != status:
        component.status = status
        component.updated_at = now
        component.save(update_fields=["status", "updated_at"])
        ComponentStatusChange.objects.create(component=component, status=status, started_at=now)
    return previous


def _component_status(status: str) -> ComponentStatus:
    if status not in ComponentStatus.values:
        raise ValidationError(_("Unknown component status: %(status)s.") % {"status": status})
    return ComponentStatus(status)


@transaction.atomic
def set_component_status(*, actor, component: Component, status: str) -> Component:
    require_operator(actor)
    status = _component_status(status)
    previous = _record_status(component, status, timezone.now())
    if previous != status:
        log_action(actor, Action.COMPONENT_CHANGED, component, {"before": previous, "after": status})
        _after_commit()
    return component


def _check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValidationError(_("Unknown language."))
    return language


def _apply_components(incident: Incident, components: dict, now) -> list[dict]:
    """Give each affected component its status for this incident; returns what changed, for the update."""
    changes = []
    for component, status in components.items():
        status = _component_status(status)
        IncidentComponent.objects.update_or_create(
            incident=incident, component=component, defaults={"status": status}
        )
        old = _record_status(component, status, now)
        changes.append(
            {"code": component.code, "name": component.name_fr, "old_status": old, "new_status": status}
        )
    return changes


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
        language=_check_language(language),
        status=status,
        impact=impact,
        created_at=now,
        updated_at=now,
        started_at=now,
        created_by=actor,
        monitoring_at=now if status == Incident.Status.MONITORING else None,
    )
    incident.playbooks.set(playbooks)
    changes = _apply_components(incident, components, now)
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
    _after_commit("incident.created" if notify else None, incident, update)
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
    if status in Incident.CLOSED and not components:
        components = {
            link.component: ComponentStatus.OPERATIONAL
            for link in incident.affected.select_related("component")
        }
    changes = _apply_components(incident, components, now)
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
        language=_check_language(language),
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
    _after_commit(event if notify else None, incident, update)
    return update


def resolve_incident(*, actor, incident: Incident, body: str, language: str = "fr") -> IncidentUpdate:
    return post_update(
        actor=actor, incident=incident, status=Incident.Status.RESOLVED, body=body, language=language
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
    _check_language(language)
    if name.strip():
        incident.name_translations = {**incident.name_translations, language: name.strip()}
        incident.save(update_fields=["name_translations"])
    if update is not None and body.strip():
        update.translations = {**update.translations, language: body.strip()}
        update.save(update_fields=["translations"])
    log_action(actor, Action.TRANSLATED, incident, {"language": language})
    _after_commit()


@transaction.atomic
def set_postmortem(*, actor, incident: Incident, body: str, publish: bool) -> Incident:
    require_operator(actor)
    incident.postmortem = body.strip()
    incident.postmortem_published_at = timezone.now() if publish and body.strip() else None
    incident.save(update_fields=["postmortem", "postmortem_published_at"])
    log_action(actor, Action.POSTMORTEM, incident, {"published": bool(incident.postmortem_published_at)})
    _after_commit()
    return incident


def dismiss_notice(*, user, incident: Incident) -> None:
    """Close the back-office pop-up of this incident for this user, until its next update."""
    NoticeDismissal.objects.update_or_create(
        user=user, incident=incident, defaults={"update": incident.updates.first()}
    )


@transaction.atomic
def set_playbooks(*, actor, incident: Incident, playbooks) -> None:
    require_operator(actor)
    incident.playbooks.set(playbooks)
    log_action(actor, Action.PLAYBOOKS_ATTACHED, incident, {"playbooks": [p.key for p in playbooks]})
    _after_commit()


@transaction.atomic
def save_playbook(*, actor, playbook: Playbook, **fields) -> Playbook:
    require_operator(actor)
    for name, value in fields.items():
        setattr(playbook, name, value)
    playbook.full_clean()
    playbook.save()
    log_action(actor, Action.PLAYBOOK_SAVED, playbook, {"fields": sorted(fields)})
    _after_commit()
    return playbook


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
        language=_check_language(language),
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
    _after_commit("maintenance.scheduled" if notify else None, incident, update)
    return incident


def _automatic_text(message: str) -> tuple[str, dict]:
    """A scheduler's message in French, with its German and English translations."""
    texts = {}
    for language in LANGUAGES:
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
                _after_commit("maintenance.reminder", Incident.objects.get(pk=incident_id))
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
            now,
        )
    return counts


@transaction.atomic
def _move_maintenance(incident_id, expected, status, component_status, message, event, now) -> int:
    incident = Incident.objects.select_for_update(skip_locked=True).filter(pk=incident_id).first()
    if incident is None or incident.status in Incident.CLOSED or (expected and incident.status != expected):
        return 0  # another scheduler took it
    changes = _apply_components(
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
    log_action("scheduler", Action(f"status.maintenance_{status}"), incident)
    _after_commit(event, incident, update)
    return 1


# --- Subscribers ---------------------------------------------------------------------------------------


class TooManySubscriptions(Exception):
    pass


@transaction.atomic
def subscribe(*, channel: str, address: str, language: str, components, ip: str) -> Subscriber:
    """Start a subscription. Email: a confirmation link (double opt-in); SMS: a code by SMS; webhook: at once,
    with a secret to check our signatures."""
    if not ratelimit.hit("status-subscribe", ip, limit=SUBSCRIPTIONS_PER_HOUR, window=3600):
        raise TooManySubscriptions
    address = address.strip()
    if channel == Subscriber.Channel.EMAIL:
        validate_email(address)
        address = address.lower()
    elif channel == Subscriber.Channel.SMS:
        if not sms.is_e164(address):
            raise ValidationError(
                {"address": _("Enter the number in international form, e.g. +33612345678.")}
            )
    elif channel == Subscriber.Channel.WEBHOOK:
        resolve_public_target(address)
    else:
        raise ValidationError(_("Unknown channel."))
    existing = Subscriber.objects.filter(
        channel=channel, address=address, unsubscribed_at__isnull=True
    ).first()
    subscriber = existing or Subscriber(channel=channel, address=address)
    subscriber.language = _check_language(language)
    if channel == Subscriber.Channel.WEBHOOK and not subscriber.secret:
        subscriber.secret = secrets.token_urlsafe(32)
        subscriber.confirmed_at = timezone.now()
    subscriber.save()
    subscriber.components.set(components)
    log_action(None, Action.SUBSCRIBED, subscriber, {"channel": channel}, ip=ip or None)
    if channel == Subscriber.Channel.EMAIL and not subscriber.confirmed_at:
        notifications.send_confirmation(subscriber)
    elif channel == Subscriber.Channel.SMS and not subscriber.confirmed_at:
        transaction.on_commit(lambda: sms.start_verification(to=address))
    return subscriber


@transaction.atomic
def confirm(*, subscriber: Subscriber) -> Subscriber:
    if subscriber.unsubscribed_at is None and subscriber.confirmed_at is None:
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["confirmed_at"])
        log_action(None, Action.SUBSCRIPTION_CONFIRMED, subscriber)
    return subscriber


def confirm_sms(*, subscriber: Subscriber, code: str) -> bool:
    result = sms.check_verification(to=subscriber.address, code=code)
    if result == sms.Verification.APPROVED:
        confirm(subscriber=subscriber)
        return True
    return False


@transaction.atomic
def update_preferences(*, subscriber: Subscriber, language: str, components) -> Subscriber:
    subscriber.language = _check_language(language)
    subscriber.save(update_fields=["language"])
    subscriber.components.set(components)
    log_action(None, Action.SUBSCRIPTION_CHANGED, subscriber)
    return subscriber


@transaction.atomic
def unsubscribe(*, subscriber: Subscriber) -> Subscriber:
    if subscriber.unsubscribed_at is None:
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["unsubscribed_at"])
        log_action(None, Action.UNSUBSCRIBED, subscriber)
    return subscriber
