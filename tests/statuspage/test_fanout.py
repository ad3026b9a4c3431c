"""Who hears about what (S3): the audience of an incident, one message per event, each in its language."""

import json
from collections import Counter
from email.header import decode_header, make_header

import pytest

from hub import messaging
from hub.models import ConsoleSms, OutboundMessage
from statuspage import notifications, services
from statuspage.models import Subscriber

from ..helpers import WebhookReceiver
from .conftest import subscriber

EMAIL, SMS, WEBHOOK = Subscriber.Channel.EMAIL, Subscriber.Channel.SMS, Subscriber.Channel.WEBHOOK


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def text(message) -> str:
    return message.get_payload(decode=True).decode()


@pytest.mark.django_db
def test_an_incident_on_pos_reaches_pos_and_all_component_subscribers_once_per_event_in_their_language(
    smtp, settings, components, operator, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    subscriber(EMAIL, "alice@example.org", "fr")  # every component
    subscriber(EMAIL, "bernd@example.org", "de", [components.pos])
    subscriber(EMAIL, "carol@example.org", "en", [components.pos, components.booking])
    subscriber(EMAIL, "dan@example.org", "fr", [components.booking])
    subscriber(EMAIL, "eve@example.org", "fr", confirmed=False)
    subscriber(EMAIL, "fred@example.org", "fr", unsubscribed=True)
    subscriber(SMS, "+33612345678", "fr", [components.pos])
    subscriber(SMS, "+33612345679", "fr", [components.api])
    subscriber(SMS, "+33612345670", "fr", confirmed=False)
    with WebhookReceiver() as receiver:
        subscriber(WEBHOOK, receiver.url, "en", [components.pos])
        subscriber(WEBHOOK, receiver.url.replace("guichet", "other"), "en", [components.api])
        with django_capture_on_commit_callbacks(execute=True):
            incident = services.create_incident(
                actor=operator,
                name="Caisses lentes",
                status="investigating",
                impact="minor",
                body="Les caisses répondent lentement.",
                components={components.pos: "degraded_performance"},
            )
        with django_capture_on_commit_callbacks(execute=True):
            services.translate(actor=operator, incident=incident, language="de", name="Kassen langsam")
            services.post_update(
                actor=operator, incident=incident, status="identified", body="Cause trouvée."
            )
        with django_capture_on_commit_callbacks(execute=True):
            services.resolve_incident(actor=operator, incident=incident, body="Tout fonctionne.")
        # The same fan-out once more (a task retried, a worker restarted): nothing new goes out.
        with django_capture_on_commit_callbacks(execute=True):
            notifications.notify("incident.created", incident.pk, incident.updates.last().pk)
        messaging.deliver_due()
        hooks = list(receiver.requests)

    assert Counter(m["To"] for m in smtp.messages) == {
        "alice@example.org": 3,
        "bernd@example.org": 3,
        "carol@example.org": 3,
    }
    assert len(set(smtp.message_ids())) == 9
    by_reader = {m["To"]: [subject(n) for n in smtp.messages if n["To"] == m["To"]] for m in smtp.messages}
    assert by_reader["alice@example.org"] == [
        "[Statut Guichet] Nouvel incident : Caisses lentes",
        "[Statut Guichet] Caisses lentes : Identifié",
        "[Statut Guichet] Résolu : Caisses lentes",
    ]
    assert by_reader["bernd@example.org"] == [
        "[Guichet-Status] Neuer Vorfall: Caisses lentes",
        "[Guichet-Status] Kassen langsam: Ursache gefunden",
        "[Guichet-Status] Behoben: Kassen langsam",
    ]
    assert by_reader["carol@example.org"] == [
        "[Guichet status] New incident: Caisses lentes",
        "[Guichet status] Caisses lentes: Identified",
        "[Guichet status] Resolved: Caisses lentes",
    ]
    for message in smtp.messages:
        unsubscribe = "".join(message["List-Unsubscribe"].split())
        assert unsubscribe.startswith("<http://") and unsubscribe.endswith("/unsubscribe/>")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert unsubscribe.strip("<>") in text(message)
    assert "Cause trouvée." in text(smtp.messages[4])

    sms = list(ConsoleSms.objects.filter(kind=ConsoleSms.Kind.MESSAGE).order_by("pk"))
    assert [s.to for s in sms] == ["+33612345678", "+33612345678"], "SMS only on creation and resolution"
    assert "Caisses lentes" in sms[0].body and "/fr/status/incidents/" in sms[0].body
    assert "Caisses lentes" in sms[1].body

    assert [json.loads(body)["event"] for _headers, body, _path in hooks] == [
        "incident.created",
        "incident.updated",
        "incident.resolved",
    ]
    for headers, body, _path in hooks:
        assert messaging.verify(
            "hook-secret", headers["X-Guichet-Timestamp"], body, headers["X-Guichet-Signature"]
        )
    created = json.loads(hooks[0][1])
    assert created["incident"]["components"] == [
        {"id": components.pos.code, "slug": "pos", "status": "degraded_performance"}
    ]
    assert OutboundMessage.objects.count() == 9 + 2 + 3


@pytest.mark.django_db
def test_maintenance_notifies_schedule_and_reminder_by_email_but_not_by_sms(
    smtp, components, operator, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    subscriber(EMAIL, "alice@example.org", "en", [components.api])
    subscriber(SMS, "+33612345678", "fr", [components.api])
    start = timezone.now() + timedelta(minutes=30)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_maintenance(
            actor=operator,
            name="Mise à jour",
            body="Base de données.",
            scheduled_for=start,
            scheduled_until=start + timedelta(hours=1),
            components=[components.api],
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.run_maintenance_schedule() == {"reminded": 1, "started": 0, "completed": 0}
    assert [subject(m) for m in smtp.messages] == [
        "[Guichet status] Maintenance scheduled: Mise à jour",
        "[Guichet status] Maintenance soon: Mise à jour",
    ]
    assert not ConsoleSms.objects.exists()


@pytest.mark.django_db
def test_a_fan_out_goes_out_in_chunks(
    smtp, components, operator, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(notifications, "CHUNK", 7)
    for i in range(30):
        subscriber(EMAIL, f"reader{i}@example.org", "fr", [components.pos] if i % 2 else [])
    with django_capture_on_commit_callbacks(execute=True):
        services.create_incident(
            actor=operator,
            name="Caisses lentes",
            status="investigating",
            impact="minor",
            body="Lent.",
            components={components.pos: "degraded_performance"},
        )
    assert sorted(m["To"] for m in smtp.messages) == sorted(f"reader{i}@example.org" for i in range(30))


@pytest.mark.django_db
def test_a_webhook_whose_host_is_gone_or_private_fails_alone_and_everyone_else_is_told(
    smtp, settings, components, operator, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    with WebhookReceiver() as receiver:
        subscriber(WEBHOOK, receiver.url, "en")
        # Both were public when they subscribed; since then one name stopped resolving, the other
        # points inside a private network.
        gone = subscriber(WEBHOOK, "https://hooks.venue-that-closed.invalid/guichet", "en")
        private = subscriber(WEBHOOK, "http://10.20.30.40/hooks/status", "en")
        subscriber(WEBHOOK, receiver.url.replace("guichet", "other"), "en")
        subscriber(EMAIL, "alice@example.org", "fr")
        with django_capture_on_commit_callbacks(execute=True):
            services.create_incident(
                actor=operator,
                name="Caisses lentes",
                status="investigating",
                impact="minor",
                body="Les caisses répondent lentement.",
                components={components.pos: "degraded_performance"},
            )
        messaging.deliver_due()
        paths = sorted(path for _headers, _body, path in receiver.requests)

    assert paths == ["/hooks/guichet?source=test", "/hooks/other?source=test"]
    assert [m["To"] for m in smtp.messages] == ["alice@example.org"]
    for bad in (gone, private):
        message = OutboundMessage.objects.get(recipient=bad.address)
        assert message.status == "failed", "marked failed by the transport, never retried"
        assert message.attempts == 1 and message.last_error


@pytest.mark.django_db
def test_the_fan_out_retries_after_a_database_hiccup_without_sending_anything_twice(
    smtp, components, operator, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import OperationalError, connection

    from hub.celery import app

    # Run a retry at once, as a worker would run it later (instead of raising it in the test).
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)
    monkeypatch.setattr(notifications, "CHUNK", 2)
    for i in range(5):
        subscriber(EMAIL, f"reader{i}@example.org", "fr")
    inserts = []

    def drop_the_second_outbox_insert(execute, sql, params, many, context):
        if sql.startswith("INSERT") and '"hub_outboundmessage"' in sql.split("(", 1)[0]:
            inserts.append(sql)
            if len(inserts) == 2:  # the first chunk is committed and sent by then
                raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with (
        connection.execute_wrapper(drop_the_second_outbox_insert),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.create_incident(
            actor=operator,
            name="Caisses lentes",
            status="investigating",
            impact="minor",
            body="Lent.",
            components={components.pos: "degraded_performance"},
        )
    messaging.deliver_due()

    assert len(inserts) > 3, "the fan-out was run again after the error"
    assert sorted(m["To"] for m in smtp.messages) == [f"reader{i}@example.org" for i in range(5)]
    assert OutboundMessage.objects.count() == 5
