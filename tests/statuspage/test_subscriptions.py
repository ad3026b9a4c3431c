"""Subscribing (S3): double opt-in by email, a code by SMS, a signed webhook; one click to leave."""

import json
import re
from urllib.parse import urlsplit

import pytest

from hub import messaging
from hub.models import ConsoleSms, OutboundMessage
from statuspage.models import Subscriber, SubscriptionRequest

from ..helpers import WebhookReceiver
from .conftest import subscriber

SECRET = re.compile(r'<code class="secret">([^<]+)</code>')


def subscribe(client, channel, address, language="fr", components=(), ip="203.0.113.7"):
    return client.post(
        "/fr/status/subscribe/",
        {
            "channel": channel,
            "address": address,
            "language": language,
            "components": [c.pk for c in components],
        },
        REMOTE_ADDR=ip,
    )


@pytest.mark.django_db
def test_email_subscription_needs_the_confirmation_link(
    client, components, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client, "email", "Alice@Example.org ", "de", [components.pos])
    assert response.status_code == 200
    assert not Subscriber.objects.exists(), "nothing is subscribed before the owner confirms"
    mail = OutboundMessage.objects.get()
    assert mail.recipient == "alice@example.org"
    assert mail.subject == "Bestätigen Sie Ihr Abonnement des Guichet-Status"
    path = confirmation_path(mail)
    assert path.startswith("/de/status/subscriptions/")

    assert client.get(path).status_code == 200
    assert not Subscriber.objects.exists(), "opening the link (a mail scanner) confirms nothing"
    confirmed = client.post(path)
    sub = Subscriber.objects.get()
    assert confirmed.status_code == 302 and confirmed["Location"].endswith(f"/{sub.token}/")
    assert sub.is_active and (sub.address, sub.language) == ("alice@example.org", "de")
    assert list(sub.components.all()) == [components.pos]
    assert client.post(path).status_code == 302, "a second click changes nothing more"
    assert Subscriber.objects.count() == 1


@pytest.mark.django_db
def test_sms_subscription_is_confirmed_by_the_code(client, components, django_capture_on_commit_callbacks):
    response = subscribe(client, "sms", "+33 6 12 34 56 78")
    request = SubscriptionRequest.objects.get()
    assert request.address == "+33612345678"
    assert response.status_code == 302 and response["Location"].endswith(f"/{request.token}/sms/")
    code = ConsoleSms.objects.get(kind=ConsoleSms.Kind.VERIFICATION).body.rsplit(" ", 1)[-1]
    wrong = client.post(response["Location"], {"code": "000000" if code != "000000" else "111111"})
    assert "pas le bon" in wrong.content.decode() or "expiré" in wrong.content.decode()
    assert not Subscriber.objects.exists()
    assert client.post(response["Location"], {"code": code}).status_code == 302
    assert Subscriber.objects.get().is_active


@pytest.mark.django_db
def test_webhook_subscription_is_confirmed_by_its_endpoint_and_private_addresses_are_refused(
    client, components, settings, django_capture_on_commit_callbacks
):
    refused = subscribe(client, "webhook", "http://127.0.0.1:8000/hook")
    assert refused.status_code == 200 and not SubscriptionRequest.objects.exists()
    assert "adresse" in refused.content.decode().lower()
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    with WebhookReceiver() as receiver:
        with django_capture_on_commit_callbacks(execute=True):
            accepted = subscribe(client, "webhook", receiver.url, "de", [components.api])
        messaging.deliver_due()
        ((headers, body, _path),) = receiver.requests
    secret = SECRET.search(accepted.content.decode()).group(1)
    assert len(secret) >= 40 and not Subscriber.objects.exists()
    assert messaging.verify(secret, headers["X-Guichet-Timestamp"], body, headers["X-Guichet-Signature"])
    call = json.loads(body)
    assert call["language"] == "de" and call["components"] == ["api"]
    assert urlsplit(call["confirm_url"]).path.startswith("/de/status/subscriptions/")
    assert client.post(urlsplit(call["confirm_url"]).path).status_code == 302
    sub = Subscriber.objects.get()
    assert sub.is_active and sub.secret == secret and list(sub.components.all()) == [components.api]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "channel, address",
    [("email", "not-an-address"), ("sms", "12345"), ("webhook", "ftp://example.org/x"), ("pigeon", "x")],
)
def test_bad_addresses_are_explained_and_store_nothing(client, components, channel, address):
    response = subscribe(client, channel, address)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not SubscriptionRequest.objects.exists() and not OutboundMessage.objects.exists()


@pytest.mark.django_db
def test_sign_up_is_rate_limited_per_address(client, components):
    for i in range(5):
        assert subscribe(client, "email", f"reader{i}@example.org").status_code == 200
    blocked = subscribe(client, "email", "reader9@example.org")
    assert "Trop d’abonnements" in blocked.content.decode()
    assert SubscriptionRequest.objects.count() == 5
    assert subscribe(client, "email", "other@example.org", ip="198.51.100.1").status_code == 200
    assert SubscriptionRequest.objects.count() == 6


def answer(response, *varying) -> tuple[int, str, str]:
    """What a visitor learns from an answer, with the values that differ anyway (the address typed, a new
    random secret or token) blanked out."""
    text, location = response.content.decode(), response.get("Location", "")
    for value in varying:
        text, location = text.replace(value, "…"), location.replace(value, "…")
    return response.status_code, text, location


def state(subscription) -> tuple:
    subscription.refresh_from_db()
    return subscription.secret, subscription.language, list(subscription.components.all())


def confirmation_path(message) -> str:
    return urlsplit(re.search(r"http://\S+/confirm/", message.body).group(0)).path


@pytest.mark.django_db
def test_subscribing_an_email_already_subscribed_answers_as_for_a_new_one_and_changes_nothing_unconfirmed(
    client, components, django_capture_on_commit_callbacks
):
    alice = subscriber("email", "alice@example.org", "fr", [components.pos])
    with django_capture_on_commit_callbacks(execute=True):
        existing = subscribe(client, "email", "alice@example.org", "en", [components.booking])
        new = subscribe(client, "email", "bob@example.org", "en", [components.booking])
    assert answer(existing, "alice@example.org") == answer(new, "bob@example.org")
    alice.refresh_from_db()
    assert (alice.language, list(alice.components.all())) == ("fr", [components.pos])
    assert Subscriber.objects.count() == 1, "bob is subscribed once he confirms"

    # Alice's inbox gets the link that applies the change, once she confirms it.
    mail = OutboundMessage.objects.get(recipient="alice@example.org")
    assert client.post(confirmation_path(mail)).status_code == 302
    alice.refresh_from_db()
    assert (alice.language, list(alice.components.all())) == ("en", [components.booking])
    assert Subscriber.objects.count() == 1


@pytest.mark.django_db
def test_subscribing_a_number_already_subscribed_answers_as_for_a_new_one_and_needs_the_code(
    client, components, django_capture_on_commit_callbacks
):
    live = subscriber("sms", "+33612345678", "fr", [components.pos])
    existing = subscribe(client, "sms", "+33612345678", "de", [components.booking])
    new = subscribe(client, "sms", "+33612345679", "de", [components.booking])
    tokens = [location.rstrip("/").split("/")[-2] for location in (existing["Location"], new["Location"])]
    assert answer(existing, tokens[0]) == answer(new, tokens[1])
    assert live.token not in existing["Location"], "the subscription's own links stay with its owner"
    live.refresh_from_db()
    assert (live.language, list(live.components.all())) == ("fr", [components.pos])

    code = ConsoleSms.objects.filter(to="+33612345678").latest("pk").body.rsplit(" ", 1)[-1]
    assert client.post(existing["Location"], {"code": code}).status_code == 302
    live.refresh_from_db()
    assert (live.language, list(live.components.all())) == ("de", [components.booking])
    assert Subscriber.objects.count() == 1


@pytest.mark.django_db
def test_a_webhook_secret_is_shown_once_to_whoever_asked_and_never_to_someone_resubscribing_the_url(
    client, components, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    with WebhookReceiver() as receiver:
        live = subscriber("webhook", receiver.url, "fr", [components.pos])  # its secret: "hook-secret"
        other_url = receiver.url.replace("guichet", "other")
        with django_capture_on_commit_callbacks(execute=True):
            existing = subscribe(client, "webhook", receiver.url, "en", [components.booking])
            new = subscribe(client, "webhook", other_url, "en", [components.booking])
        messaging.deliver_due()
        calls = {path: (headers, body) for headers, body, path in receiver.requests}

    html = existing.content.decode()
    assert "hook-secret" not in html and live.token not in html
    secrets = [SECRET.search(r.content.decode()).group(1) for r in (existing, new)]
    assert answer(existing, receiver.url, secrets[0]) == answer(new, other_url, secrets[1])
    assert state(live) == ("hook-secret", "fr", [components.pos])

    # The endpoint gets a call signed with the new secret, carrying the link that confirms the change.
    headers, body = calls["/hooks/guichet?source=test"]
    timestamp, signature = headers["X-Guichet-Timestamp"], headers["X-Guichet-Signature"]
    assert messaging.verify(secrets[0], timestamp, body, signature)
    assert not messaging.verify("hook-secret", timestamp, body, signature)
    call = json.loads(body)
    assert call["event"] == headers["X-Guichet-Event"] == "subscription.confirm"
    script = client.__class__(enforce_csrf_checks=True)  # the receiving service confirms with a bare POST
    assert script.post(urlsplit(call["confirm_url"]).path).status_code == 302
    assert state(live) == (secrets[0], "en", [components.booking])
    assert Subscriber.objects.count() == 1, "the other URL is not subscribed until it confirms"


@pytest.mark.django_db
def test_a_request_confirmed_by_sms_code_cannot_be_confirmed_by_its_link(
    client, components, django_capture_on_commit_callbacks
):
    response = subscribe(client, "sms", "+33612345678")
    token = SubscriptionRequest.objects.get().token
    assert token in response["Location"]
    assert client.post(f"/fr/status/subscriptions/{token}/confirm/").status_code == 404
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
def test_a_number_the_sms_guard_refuses_is_explained_on_the_form(client, components):
    response = subscribe(client, "sms", "+33 1 45 67 89 10")  # a Paris landline
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not SubscriptionRequest.objects.exists() and not ConsoleSms.objects.exists()


@pytest.mark.django_db
def test_preferences_and_one_click_unsubscribe(client, components):
    sub = subscriber("email", "alice@example.org", "fr")
    page = client.get(f"/fr/status/subscriptions/{sub.token}/")
    assert page.status_code == 200
    client.post(
        f"/fr/status/subscriptions/{sub.token}/", {"language": "de", "components": [components.api.pk]}
    )
    sub.refresh_from_db()
    assert sub.language == "de" and list(sub.components.all()) == [components.api]

    url = f"/fr/status/subscriptions/{sub.token}/unsubscribe/"
    landing = client.get(url)
    assert 'hx-trigger="load"' in landing.content.decode(), "the page unsubscribes by itself"
    assert Subscriber.objects.get().unsubscribed_at is None, "a GET (a link checker) changes nothing"
    # What a mail client sends for List-Unsubscribe-Post: a POST without a CSRF token.
    csrf_client = client.__class__(enforce_csrf_checks=True)
    assert csrf_client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert Subscriber.objects.get().unsubscribed_at is not None
    assert client.get(f"/fr/status/subscriptions/{sub.token}/").status_code == 404
    assert client.get("/fr/status/subscriptions/not-a-token/unsubscribe/").status_code == 404
