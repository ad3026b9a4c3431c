"""What subscribers receive (S3), always through the outbox: confirmation, then one message per event.

Email and webhooks get every event; SMS only the creation and the resolution of an incident. The
idempotency key is the event and the subscriber, so running a fan-out twice never sends twice.
"""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from hub import messaging

from . import selectors
from .models import Incident, IncidentUpdate, Subscriber, SubscriptionRequest

SMS_EVENTS = {"incident.created", "incident.resolved"}
CONFIRM_EVENT = "subscription.confirm"
CHUNK = 500


def _url(name: str, *args, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse(name, args=args)


def send_confirmation(request: SubscriptionRequest) -> None:
    """The link that confirms a subscription request, to the email address it names."""
    with translation.override(request.language):
        url = _url("statuspage:confirm", request.token, language=request.language)
        messaging.enqueue_email(
            to=request.address,
            subject=_("Confirm your subscription to the %(page)s status")
            % {"page": settings.STATUS_PAGE_NAME},
            body=render_to_string("statuspage/emails/confirm.txt", {"url": url, "request": request}),
            idempotency_key=f"status-request:{request.pk}",
        )


def send_webhook_confirmation(request: SubscriptionRequest) -> None:
    """A call to the webhook, signed with the request's new secret, carrying the link that confirms it (open
    it, or POST to it): only the endpoint's owner sees that link."""
    messaging.enqueue_webhook(
        url=request.address,
        payload={
            "event": CONFIRM_EVENT,
            "page": {"id": "guichet", "name": settings.STATUS_PAGE_NAME},
            "confirm_url": _url("statuspage:confirm", request.token, language=request.language),
            "language": request.language,
            "components": [component.slug for component in request.components.all()],
        },
        secret=request.secret,
        idempotency_key=f"status-request:{request.pk}",
        event=CONFIRM_EVENT,
    )


def _email_content(event: str, incident: Incident, update: IncidentUpdate | None, language: str) -> dict:
    with translation.override(language):
        context = {
            "event": event,
            "incident": incident,
            "name": incident.name_in(language),
            "update": update,
            "body": update.body_in(language) if update else "",
            "status": incident.get_status_display(),
            "url": _url("statuspage:incident", incident.code, language=language),
            "components": [link.component.name for link in incident.affected.select_related("component")],
        }
        subjects = {
            "incident.created": _("[%(page)s status] New incident: %(name)s"),
            "incident.updated": _("[%(page)s status] %(name)s: %(status)s"),
            "incident.resolved": _("[%(page)s status] Resolved: %(name)s"),
            "maintenance.scheduled": _("[%(page)s status] Maintenance scheduled: %(name)s"),
            "maintenance.reminder": _("[%(page)s status] Maintenance soon: %(name)s"),
            "maintenance.started": _("[%(page)s status] Maintenance started: %(name)s"),
            "maintenance.updated": _("[%(page)s status] Maintenance: %(name)s"),
            "maintenance.completed": _("[%(page)s status] Maintenance completed: %(name)s"),
        }
        subject = subjects[event] % {
            "page": settings.STATUS_PAGE_NAME,
            "name": context["name"],
            "status": context["status"],
        }
        return {"subject": subject, "context": context}


def notify(event: str, incident_id: int, update_id: int | None) -> dict:
    """Fan out one event to every subscriber concerned, in chunks, through the outbox."""
    incident = Incident.objects.get(pk=incident_id)
    update = IncidentUpdate.objects.filter(pk=update_id).first() if update_id else None
    contents = {code: _email_content(event, incident, update, code) for code, _name in settings.LANGUAGES}
    payload = _payload(event, incident, update)
    counts = {"email": 0, "sms": 0, "webhook": 0}
    subscribers = selectors.audience(incident)
    last = 0
    while True:
        chunk = list(subscribers.filter(pk__gt=last)[:CHUNK])
        if not chunk:
            return counts
        last = chunk[-1].pk
        with transaction.atomic(), messaging.batch():
            emails = []
            for subscriber in chunk:
                key = f"status:{event}:{incident.code}:{update.code if update else '-'}:{subscriber.pk}"
                if subscriber.channel == Subscriber.Channel.EMAIL:
                    emails.append(_email(subscriber, contents[subscriber.language], key))
                elif subscriber.channel == Subscriber.Channel.WEBHOOK:
                    messaging.enqueue_webhook(
                        url=subscriber.address,
                        payload=payload,
                        secret=subscriber.secret,
                        idempotency_key=key,
                        event=event,
                    )
                elif event in SMS_EVENTS:
                    messaging.enqueue_sms(
                        to=subscriber.address,
                        body=_sms_text(event, incident, subscriber.language),
                        idempotency_key=key,
                    )
                else:
                    continue
                counts[subscriber.channel] += 1
            if emails:
                messaging.enqueue_emails(emails)


def _email(subscriber: Subscriber, content: dict, key: str) -> dict:
    language = subscriber.language
    unsubscribe = _url("statuspage:unsubscribe", subscriber.token, language=language)
    manage = _url("statuspage:preferences", subscriber.token, language=language)
    with translation.override(language):
        body = render_to_string(
            "statuspage/emails/notification.txt",
            {**content["context"], "unsubscribe": unsubscribe, "manage": manage},
        )
    return {
        "to": subscriber.address,
        "subject": content["subject"],
        "body": body,
        "headers": {
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        "idempotency_key": key,
    }


def _sms_text(event: str, incident: Incident, language: str) -> str:
    with translation.override(language):
        if event == "incident.resolved":
            text = _("%(page)s: resolved — %(name)s")
        else:
            text = _("%(page)s: incident — %(name)s. Details: %(url)s")
        return text % {
            "page": settings.STATUS_PAGE_NAME,
            "name": incident.name_in(language)[:80],
            "url": _url("statuspage:incident", incident.code, language=language),
        }


def _payload(event: str, incident: Incident, update: IncidentUpdate | None) -> dict:
    return {
        "event": event,
        "page": {"id": "guichet", "name": settings.STATUS_PAGE_NAME},
        "incident": {
            "id": incident.code,
            "kind": incident.kind,
            "name": incident.name,
            "status": incident.status,
            "impact": incident.impact,
            "created_at": incident.created_at.isoformat(),
            "resolved_at": incident.resolved_at.isoformat() if incident.resolved_at else None,
            "components": [
                {"id": link.component.code, "slug": link.component.slug, "status": link.status}
                for link in incident.affected.select_related("component")
            ],
            "shortlink": _url("statuspage:incident", incident.code, language=incident.language),
        },
        "update": {
            "id": update.code,
            "status": update.status,
            "body": update.body,
            "language": update.language,
            "translations": update.translations,
            "created_at": update.created_at.isoformat(),
        }
        if update
        else None,
    }
