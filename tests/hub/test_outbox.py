import json
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hub import messaging
from hub.models import ConsoleSms, MessageStatus, OutboundMessage, Suppression

from ..helpers import WebhookReceiver, requires_postgres, run_concurrently


def enqueue_many(count, prefix="m", **extra):
    return [
        messaging.enqueue_email(
            to=f"user{i}@example.org",
            subject=f"Message {i}",
            body=f"Body {i}",
            idempotency_key=f"{prefix}-{i}",
            **extra,
        )
        for i in range(count)
    ]


@pytest.mark.django_db
def test_smtp_down_loses_nothing_and_sends_everything_once_when_it_is_back(smtp):
    smtp.stop()
    enqueue_many(100)

    assert messaging.deliver_due() == {"retrying": 100}
    rows = OutboundMessage.objects.all()
    assert rows.count() == 100
    assert set(rows.values_list("status", flat=True)) == {MessageStatus.PENDING}
    assert set(rows.values_list("attempts", flat=True)) == {1}
    assert all("unreachable" in error for error in rows.values_list("last_error", flat=True))

    smtp.start()
    assert messaging.deliver_due() == {}, "nothing is retried before its backoff"
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        assert messaging.deliver_due() == {"sent": 100}
        assert messaging.deliver_due() == {}

    ids = smtp.message_ids()
    assert len(ids) == 100 and len(set(ids)) == 100
    assert sorted(m["To"] for m in smtp.messages) == sorted(f"user{i}@example.org" for i in range(100))
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
    assert set(OutboundMessage.objects.values_list("attempts", flat=True)) == {2}


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_senders_racing_deliver_each_message_exactly_once(smtp, settings):
    settings.OUTBOX_BATCH_SIZE = 25  # many small claims make the two senders collide often
    now = timezone.now()
    with transaction.atomic():
        enqueue_many(600, send_after=now)  # scheduled: left for the sweepers, no task after commit

    results = run_concurrently(messaging.deliver_due, 2)

    assert sum(r.get("sent", 0) for r in results) == 600
    assert all(r.get("sent", 0) > 0 for r in results), "both senders took part"
    ids = smtp.message_ids()
    assert len(ids) == 600 and len(set(ids)) == 600
    assert OutboundMessage.objects.filter(status=MessageStatus.SENT, attempts=1).count() == 600


@pytest.mark.django_db
def test_message_of_a_rolled_back_transaction_is_never_sent(smtp, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        messaging.enqueue_email(to="a@example.org", subject="s", body="b", idempotency_key="rolled-back")
        raise RuntimeError("the business change failed")
    assert callbacks == []
    assert not OutboundMessage.objects.exists()
    assert messaging.deliver_due() == {}
    assert smtp.messages == []


@pytest.mark.django_db
def test_a_task_sends_the_message_after_commit(smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = messaging.enqueue_email(
            to="Buyer@Example.org", subject="Your tickets", body="Hello", idempotency_key="after-commit"
        )
        assert smtp.messages == [], "nothing leaves before commit"
    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.provider_id == smtp.messages[0]["Message-ID"]
    assert smtp.messages[0]["Subject"] == "Your tickets"


@pytest.mark.django_db
def test_a_batch_hands_its_messages_to_the_workers_once_after_commit(
    smtp, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        transaction.atomic(),
        messaging.batch(),
    ):
        enqueue_many(250)
    assert len(callbacks) == 1
    assert OutboundMessage.objects.filter(status=MessageStatus.SENT).count() == 250
    assert len(set(smtp.message_ids())) == 250


@pytest.mark.django_db
def test_many_emails_are_queued_in_bulk_once_per_key(smtp, django_capture_on_commit_callbacks):
    messaging.enqueue_email(to="early@example.org", subject="s", body="b", idempotency_key="fan-0")
    fields = [
        {
            "to": f"sub{i}@example.org",
            "subject": "Incident",
            "body": "POS slow",
            "idempotency_key": f"fan-{i}",
        }
        for i in range(1200)
    ]
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        ids = messaging.enqueue_emails(fields)
        again = messaging.enqueue_emails(fields[:10])
    assert len(ids) == 1200 and sorted(again) == sorted(ids)[:10]
    assert OutboundMessage.objects.count() == 1200
    assert len(callbacks) == 2
    assert len(set(smtp.message_ids())) == 1200
    assert OutboundMessage.objects.get(idempotency_key="fan-0").recipient == "early@example.org"


@pytest.mark.django_db
def test_one_bad_address_queues_none_of_a_bulk():
    fields = [{"to": "ok@example.org", "subject": "s", "body": "b", "idempotency_key": "ok"}]
    fields.append({"to": "broken", "subject": "s", "body": "b", "idempotency_key": "broken"})
    with pytest.raises(ValidationError):
        messaging.enqueue_emails(fields)
    assert not OutboundMessage.objects.exists()


@pytest.mark.django_db
def test_the_same_idempotency_key_stores_one_message(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        first = messaging.enqueue_sms(to="+33612345678", body="one", idempotency_key="same")
        second = messaging.enqueue_sms(to="+33612345678", body="two", idempotency_key="same")
    assert first.pk == second.pk
    assert OutboundMessage.objects.count() == 1
    assert len(callbacks) == 1


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_enqueues_with_one_key_store_one_message():
    def enqueue():
        with transaction.atomic():
            return messaging.enqueue_email(
                to="a@example.org", subject="s", body="b", idempotency_key="raced", send_after=timezone.now()
            ).pk

    ids = run_concurrently(enqueue, 4)
    assert len(set(ids)) == 1
    assert OutboundMessage.objects.count() == 1


@pytest.mark.django_db
def test_a_suppressed_number_is_never_sent_to():
    Suppression.objects.create(channel="sms", address="+33612345678", reason="STOP")
    refused = messaging.enqueue_sms(to="+33612345678", body="Incident", idempotency_key="sms-1")
    later = messaging.enqueue_sms(to="+41791234567", body="Incident", idempotency_key="sms-2")
    # this one opts out after the message was queued, before it goes
    Suppression.objects.create(channel="sms", address="+41791234567", reason="STOP")
    assert messaging.deliver_due() == {"suppressed": 2}

    for message in (refused, later):
        message.refresh_from_db()
        assert message.status == MessageStatus.SUPPRESSED
    assert not ConsoleSms.objects.exists()


@pytest.mark.django_db
def test_a_suppressed_email_address_is_never_sent_to_whatever_its_case(smtp):
    Suppression.objects.create(channel="email", address="bounce@example.org", reason="hard bounce")
    messaging.enqueue_email(to="Bounce@Example.org", subject="s", body="b", idempotency_key="e1")
    messaging.deliver_due()
    assert smtp.messages == []


@pytest.mark.django_db
def test_sms_goes_through_the_gateway():
    message = messaging.enqueue_sms(to="+33612345678", body="Scanning is back", idempotency_key="sms")
    assert messaging.deliver_due() == {"sent": 1}
    sms = ConsoleSms.objects.get()
    assert (sms.to, sms.body) == ("+33612345678", "Scanning is back")
    message.refresh_from_db()
    assert message.provider_id == f"console-{sms.pk}"


@pytest.mark.django_db
def test_webhook_is_signed(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    payload = {"incident": {"name": "POS slow", "status": "investigating"}}
    with WebhookReceiver() as receiver:
        message = messaging.enqueue_webhook(
            url=receiver.url,
            payload=payload,
            secret="s3cret",
            idempotency_key="hook-1",
            event="incident.created",
        )
        assert messaging.deliver_due() == {"sent": 1}

    ((headers, body, path),) = receiver.requests
    assert json.loads(body) == payload
    assert path == "/hooks/guichet?source=test"
    assert headers["X-Guichet-Delivery"] == str(message.pk)
    assert headers["X-Guichet-Event"] == "incident.created"
    timestamp, signature = headers["X-Guichet-Timestamp"], headers["X-Guichet-Signature"]
    assert abs(int(timestamp) - timezone.now().timestamp()) < 60
    assert messaging.verify("s3cret", timestamp, body, signature)
    assert not messaging.verify("other", timestamp, body, signature)
    assert not messaging.verify("s3cret", timestamp, body + b" ", signature)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://10.0.0.5/hook",
        "http://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "http://hooks.example.invalid/hook",
    ],
)
@pytest.mark.django_db
def test_webhooks_to_non_public_or_unresolvable_hosts_fail_at_send_time_without_a_request(url):
    message = messaging.enqueue_webhook(url=url, payload={}, secret="s", idempotency_key="ssrf")
    assert messaging.deliver_due() == {"failed": 1}
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.attempts == 1 and message.last_error


@pytest.mark.parametrize(
    "url", ["ftp://93.184.216.34/hook", "http://user:password@93.184.216.34/hook", "not a url"]
)
@pytest.mark.django_db
def test_malformed_webhook_addresses_are_refused_at_once(url):
    with pytest.raises(ValidationError):
        messaging.enqueue_webhook(url=url, payload={}, secret="s", idempotency_key="malformed")
    assert not OutboundMessage.objects.exists()


@pytest.mark.django_db
def test_webhook_to_a_public_address_is_accepted():
    message = messaging.enqueue_webhook(
        url="https://93.184.216.34/hook", payload={}, secret="s", idempotency_key="public"
    )
    assert message.status == MessageStatus.PENDING


@pytest.mark.django_db
def test_failures_back_off_exponentially_then_fail_and_an_operator_can_retry(settings, operator):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.OUTBOX_MAX_ATTEMPTS = 3
    with WebhookReceiver(status=503) as receiver:
        message = messaging.enqueue_webhook(
            url=receiver.url, payload={"n": 1}, secret="s", idempotency_key="flaky"
        )
        start = timezone.now()
        delays = []
        with time_machine.travel(start, tick=False) as clock:
            for _ in range(3):
                messaging.deliver_due()
                message.refresh_from_db()
                delays.append((message.next_attempt_at - timezone.now()).total_seconds())
                clock.move_to(message.next_attempt_at + timedelta(seconds=1))
        assert delays[:2] == [30, 60]
        assert message.status == MessageStatus.FAILED
        assert message.attempts == 3
        assert "503" in message.last_error
        assert len(receiver.requests) == 3

        from hub import services

        receiver.status = 200
        services.retry_message(actor=operator, message_id=message.pk)
        assert messaging.deliver_due() == {"sent": 1}
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(receiver.requests) == 4


@pytest.mark.django_db
def test_a_refused_recipient_fails_at_once(smtp):
    smtp.refuse.add("nobody@example.org")
    message = messaging.enqueue_email(
        to="nobody@example.org", subject="s", body="b", idempotency_key="refused"
    )
    assert messaging.deliver_due() == {"failed": 1}
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert "550" in message.last_error


@pytest.mark.django_db
def test_a_gone_webhook_endpoint_fails_at_once(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    with WebhookReceiver(status=410) as receiver:
        messaging.enqueue_webhook(url=receiver.url, payload={}, secret="s", idempotency_key="gone")
        assert messaging.deliver_due() == {"failed": 1}


@pytest.mark.django_db
def test_a_claim_left_by_a_dead_worker_is_taken_again_after_its_lease(smtp):
    message = messaging.enqueue_email(to="a@example.org", subject="s", body="b", idempotency_key="lease")
    token, claimed = messaging.outbox.claim(limit=10)
    assert [m.pk for m in claimed] == [message.pk]
    assert messaging.deliver_due() == {}, "a live claim is left alone"
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert messaging.deliver_due() == {"sent": 1}
    assert len(smtp.messages) == 1


@pytest.mark.django_db
def test_html_and_attachments_arrive(smtp):
    messaging.enqueue_email(
        to="seller@example.org",
        subject="Votre listing",
        body="Bonjour, voici le listing.",
        html="<p>Bonjour, voici le <b>listing</b>.</p>",
        attachments=[
            (
                "listing.xlsx",
                b"PK\x03\x04 fake",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        ],
        idempotency_key="listing",
    )
    messaging.deliver_due()
    (received,) = smtp.messages
    parts = {part.get_content_type(): part for part in received.walk()}
    assert "Bonjour" in parts["text/plain"].get_payload(decode=True).decode()
    assert "<b>listing</b>" in parts["text/html"].get_payload(decode=True).decode()
    sheet = parts["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]
    assert sheet.get_filename() == "listing.xlsx"
    assert sheet.get_payload(decode=True) == b"PK\x03\x04 fake"


@pytest.mark.django_db
def test_bad_addresses_are_refused_at_enqueue():
    with pytest.raises(ValidationError):
        messaging.enqueue_email(to="not-an-email", subject="s", body="b", idempotency_key="bad-email")
    with pytest.raises(ValidationError):
        messaging.enqueue_sms(to="0612345678", body="b", idempotency_key="bad-sms")
    assert not OutboundMessage.objects.exists()
