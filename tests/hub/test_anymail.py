"""Email through django-anymail (Mailgun's HTTP API, here a local stand-in over real HTTP) instead of SMTP:
the provider's message id is kept on the outbox row, and its signed tracking webhooks update the row; a hard
bounce or a complaint suppresses the address (audited), so nothing more is sent to it."""

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client

from hub import messaging
from hub.audit import AuditEntry
from hub.models import OutboundMessage, Role, Suppression

from ..helpers import make_user

pytestmark = pytest.mark.django_db
SIGNING_KEY = "mailgun-signing-key"


@pytest.fixture
def mailgun(settings):
    """Mailgun's sending API on a local port; ``sent`` holds each message's form fields."""
    sent = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            sent.append({"path": self.path, "body": body})
            answer = json.dumps({"id": f"<2026.{len(sent)}@mg.example.org>", "message": "Queued"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.ANYMAIL_PROVIDER = "mailgun"
    settings.EMAIL_BACKEND = "anymail.backends.mailgun.EmailBackend"
    settings.ANYMAIL = {
        "MAILGUN_API_KEY": "key-test",
        "MAILGUN_SENDER_DOMAIN": "mg.example.org",
        "MAILGUN_API_URL": f"http://127.0.0.1:{server.server_address[1]}/v3",
        "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY,
    }
    yield sent
    server.shutdown()
    server.server_close()


def tracking(event: dict, key: str = SIGNING_KEY):
    """Mailgun's tracking webhook for ``event``, signed as Mailgun signs it."""
    timestamp, token = str(int(time.time())), f"token-{time.monotonic_ns()}"
    signature = hmac.new(key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()
    body = {
        "signature": {"timestamp": timestamp, "token": token, "signature": signature},
        "event-data": event,
    }
    return Client().post("/hooks/email/mailgun/tracking/", json.dumps(body), content_type="application/json")


def event(kind: str, recipient: str, message_id: str, **fields) -> dict:
    return {
        "event": kind,
        "id": f"ev-{time.monotonic_ns()}",
        "timestamp": time.time(),
        "recipient": recipient,
        "message": {"headers": {"message-id": message_id.strip("<>")}},
        **fields,
    }


def send(to: str, key: str) -> OutboundMessage:
    message = messaging.enqueue_email(to=to, subject="Vos billets", body="…", idempotency_key=key)
    messaging.deliver_due()
    message.refresh_from_db()
    return message


def test_an_email_goes_through_the_providers_api_and_keeps_its_message_id(mailgun):
    message = send("lena@example.org", "tickets-1")
    assert message.status == "sent" and message.provider_id == "<2026.1@mg.example.org>"
    (call,) = mailgun
    assert call["path"] == "/v3/mg.example.org/messages" and b"to=lena%40example.org" in call["body"]


def test_a_hard_bounce_suppresses_the_address_and_the_next_email_is_never_sent(mailgun):
    message = send("gone@example.org", "tickets-1")
    failed = event("failed", "gone@example.org", message.provider_id, severity="permanent", reason="bounce")
    assert tracking(failed).status_code == 200
    message.refresh_from_db()
    assert message.delivery_status == "bounced"
    assert Suppression.objects.filter(channel="email", address="gone@example.org").exists()
    assert AuditEntry.objects.filter(action="suppression.added", actor_label="mailgun").count() == 1
    again = send("Gone@Example.org", "reminder-1")
    assert again.status == "suppressed" and len(mailgun) == 1  # never reached the provider


def test_a_complaint_suppresses_and_a_temporary_failure_does_not(mailgun):
    first = send("angry@example.org", "newsletter-1")
    assert tracking(event("complained", "angry@example.org", first.provider_id)).status_code == 200
    second = send("full@example.org", "newsletter-2")
    deferred = event("failed", "full@example.org", second.provider_id, severity="temporary")
    assert tracking(deferred).status_code == 200
    assert list(Suppression.objects.values_list("address", flat=True)) == ["angry@example.org"]
    second.refresh_from_db()
    assert second.delivery_status == "deferred"


def test_a_tracking_webhook_with_a_bad_signature_or_for_another_provider_changes_nothing(mailgun):
    message = send("lena@example.org", "tickets-1")
    forged = event("failed", "lena@example.org", message.provider_id, severity="permanent")
    assert tracking(forged, key="forged").status_code == 400
    assert (
        Client().post("/hooks/email/postmark/tracking/", "{}", content_type="application/json").status_code
        == 404
    )
    assert not Suppression.objects.exists()
    message.refresh_from_db()
    assert message.delivery_status == ""


def test_operators_see_the_bounces_per_day(mailgun):
    message = send("gone@example.org", "tickets-1")
    tracking(event("failed", "gone@example.org", message.provider_id, severity="permanent"))
    client = Client()
    client.force_login(make_user("olga", Role.OPERATOR))
    page = client.get("/en/backoffice/outbox/").content.decode()
    assert "Email bounces and complaints, last 14 days" in page
    row = page[page.index('id="email-bounces"') :]
    assert '<td data-label="Bounced">1</td>' in row
