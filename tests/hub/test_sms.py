"""SMS gateway: console backend, Twilio faked at its HTTP boundary, inbound webhooks with signatures."""

import json

import pytest
from django.urls import reverse
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.request_validator import RequestValidator

from hub import messaging, sms
from hub.models import AuditEntry, ConsoleSms, MessageStatus, OutboundMessage, Suppression

AUTH_TOKEN = "twilio-test-auth-token"


@pytest.fixture
def twilio_settings(settings):
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID = "AC" + "0" * 32
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.TWILIO_MESSAGING_SERVICE_SID = "MG" + "1" * 32
    settings.TWILIO_VERIFY_SERVICE_SID = "VA" + "2" * 32
    settings.SITE_URL = "https://guichet.example"
    return settings


class TwilioApi:
    """Stands in for api.twilio.com: records each HTTP request the real twilio client makes."""

    def __init__(self):
        self.requests = []
        self.responses = []

    def reply(self, status, body):
        self.responses.append(Response(status, json.dumps(body)))

    def request(self, client, method, url, params=None, data=None, headers=None, auth=None, **kwargs):
        self.requests.append({"method": method, "url": url, "data": data or {}})
        return self.responses.pop(0)


@pytest.fixture
def twilio_api(monkeypatch, twilio_settings):
    api = TwilioApi()
    monkeypatch.setattr(TwilioHttpClient, "request", lambda client, *a, **kw: api.request(client, *a, **kw))
    return api


def signed_post(client, path, data, token=AUTH_TOKEN):
    signature = RequestValidator(token).compute_signature(f"https://guichet.example{path}", data)
    return client.post(path, data, HTTP_X_TWILIO_SIGNATURE=signature)


@pytest.mark.django_db
def test_twilio_backend_sends_through_the_messaging_service_with_a_status_callback(twilio_api):
    twilio_api.reply(201, {"sid": "SM" + "a" * 32, "status": "accepted"})
    message = messaging.enqueue_sms(to="+33612345678", body="Incident résolu", idempotency_key="t1")

    assert messaging.deliver_due() == {"sent": 1}

    (request,) = twilio_api.requests
    assert request["method"] == "POST"
    assert request["url"].endswith("/Accounts/AC" + "0" * 32 + "/Messages.json")
    assert request["data"]["To"] == "+33612345678"
    assert request["data"]["Body"] == "Incident résolu"
    assert request["data"]["MessagingServiceSid"] == "MG" + "1" * 32
    assert request["data"]["StatusCallback"] == "https://guichet.example/hooks/twilio/status/"
    message.refresh_from_db()
    assert message.provider_id == "SM" + "a" * 32


@pytest.mark.django_db
def test_a_number_twilio_reports_as_opted_out_is_suppressed_and_not_retried(twilio_api):
    twilio_api.reply(
        400, {"code": 21610, "message": "Attempt to send to unsubscribed recipient", "status": 400}
    )
    message = messaging.enqueue_sms(to="+33612345678", body="x", idempotency_key="t2")
    assert messaging.deliver_due() == {"failed": 1}
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert Suppression.objects.filter(channel="sms", address="+33612345678").exists()


@pytest.mark.django_db
def test_a_twilio_server_error_is_retried(twilio_api):
    twilio_api.reply(503, {"code": 20503, "message": "Service unavailable", "status": 503})
    message = messaging.enqueue_sms(to="+33612345678", body="x", idempotency_key="t3")
    assert messaging.deliver_due() == {"retrying": 1}
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING and "503" in message.last_error


@pytest.mark.django_db
def test_twilio_verify_start_and_check(twilio_api):
    twilio_api.reply(201, {"sid": "VE1", "status": "pending", "to": "+33612345678"})
    sms.start_verification(to="+33612345678", ip="203.0.113.7")
    twilio_api.reply(200, {"sid": "VE1", "status": "pending"})
    assert sms.check_verification(to="+33612345678", code="000000") == sms.Verification.WRONG_CODE
    twilio_api.reply(200, {"sid": "VE1", "status": "approved"})
    assert sms.check_verification(to="+33612345678", code="123456") == sms.Verification.APPROVED
    twilio_api.reply(404, {"code": 20404, "message": "not found", "status": 404})
    assert sms.check_verification(to="+33612345678", code="123456") == sms.Verification.EXPIRED

    start, *checks = twilio_api.requests
    assert start["url"].endswith("/Services/VA" + "2" * 32 + "/Verifications")
    assert start["data"] == {"To": "+33612345678", "Channel": "sms"}
    assert checks[1]["url"].endswith("/VerificationCheck")
    assert checks[1]["data"]["Code"] == "123456"


@pytest.mark.django_db
def test_console_verification_records_the_code_and_limits_attempts():
    sms.start_verification(to="+41791234567", ip="203.0.113.7")
    record = ConsoleSms.objects.get(kind=ConsoleSms.Kind.VERIFICATION)
    code = record.body.rsplit(" ", 1)[-1]
    assert len(code) == 6 and code.isdigit()
    wrong = "000000" if code != "000000" else "111111"
    assert sms.check_verification(to="+41791234567", code=wrong) == sms.Verification.WRONG_CODE
    assert sms.check_verification(to="+41791234567", code=code) == sms.Verification.APPROVED
    assert sms.check_verification(to="+41791234567", code=code) == sms.Verification.EXPIRED, (
        "a code works once"
    )

    sms.start_verification(to="+41791234567", ip="203.0.113.7")
    code = ConsoleSms.objects.filter(kind=ConsoleSms.Kind.VERIFICATION).first().body.rsplit(" ", 1)[-1]
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(sms.VERIFICATION_MAX_CHECKS):
        assert sms.check_verification(to="+41791234567", code=wrong) == sms.Verification.WRONG_CODE
    assert sms.check_verification(to="+41791234567", code=code) == sms.Verification.EXPIRED


@pytest.mark.django_db
def test_inbound_sms_with_a_wrong_signature_is_refused_and_changes_nothing(client, twilio_settings):
    path = reverse("twilio_inbound")
    data = {"From": "+33612345678", "Body": "STOP", "MessageSid": "SM1"}
    response = signed_post(client, path, data, token="not-the-token")
    assert response.status_code == 403
    response = client.post(path, data)  # no signature at all
    assert response.status_code == 403
    assert not Suppression.objects.exists()
    assert AuditEntry.objects.filter(action="sms.inbound_rejected").count() == 2


@pytest.mark.django_db
def test_signed_stop_suppresses_and_start_lifts_it(client, twilio_settings):
    path = reverse("twilio_inbound")
    response = signed_post(client, path, {"From": "+33612345678", "Body": " stop ", "MessageSid": "SM1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    assert Suppression.objects.filter(channel="sms", address="+33612345678").exists()
    messaging.enqueue_sms(to="+33612345678", body="x", idempotency_key="after-stop")
    assert messaging.deliver_due() == {"suppressed": 1}

    signed_post(client, path, {"From": "+33612345678", "Body": "START", "MessageSid": "SM2"})
    assert not Suppression.objects.exists()
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["suppression.added", "suppression.removed"]


@pytest.mark.django_db
def test_other_inbound_words_change_nothing(client, twilio_settings):
    signed_post(client, reverse("twilio_inbound"), {"From": "+33612345678", "Body": "Hello, is it STOP?"})
    assert not Suppression.objects.exists()


@pytest.mark.django_db
def test_status_callback_records_the_delivery_report(client, twilio_settings):
    message = OutboundMessage.objects.create(
        channel="sms", idempotency_key="k", recipient="+33612345678", status="sent", provider_id="SM42"
    )
    path = reverse("twilio_status")
    assert client.post(path, {"MessageSid": "SM42", "MessageStatus": "delivered"}).status_code == 403
    response = signed_post(
        client, path, {"MessageSid": "SM42", "MessageStatus": "delivered", "To": "+33612345678"}
    )
    assert response.status_code == 204
    message.refresh_from_db()
    assert message.delivery_status == "delivered"

    signed_post(
        client,
        path,
        {"MessageSid": "SM42", "MessageStatus": "undelivered", "ErrorCode": "21610", "To": "+33612345678"},
    )
    assert Suppression.objects.filter(address="+33612345678").exists()
