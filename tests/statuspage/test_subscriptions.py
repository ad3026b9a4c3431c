"""Subscribing (S3): double opt-in by email, a code by SMS, a signed webhook; one click to leave."""

import re

import pytest

from hub.models import ConsoleSms, OutboundMessage
from statuspage.models import Subscriber

from .conftest import subscriber


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
    sub = Subscriber.objects.get()
    assert (sub.address, sub.language, sub.confirmed_at) == ("alice@example.org", "de", None)
    assert list(sub.components.all()) == [components.pos]
    mail = OutboundMessage.objects.get()
    assert mail.recipient == "alice@example.org"
    assert mail.subject == "Bestätigen Sie Ihr Abonnement des Guichet-Status"
    link = re.search(r"http://\S+/confirm/", mail.body).group(0)
    path = link.split("8000", 1)[1]
    assert path.startswith("/de/status/subscriptions/")

    assert client.get(path).status_code == 200
    assert Subscriber.objects.get().confirmed_at is None, "opening the link (a mail scanner) confirms nothing"
    assert client.post(path).status_code == 302
    assert Subscriber.objects.get().is_active


@pytest.mark.django_db
def test_sms_subscription_is_confirmed_by_the_code(client, components, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client, "sms", "+33612345678")
    sub = Subscriber.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{sub.token}/sms/")
    code = ConsoleSms.objects.get(kind=ConsoleSms.Kind.VERIFICATION).body.rsplit(" ", 1)[-1]
    wrong = client.post(response["Location"], {"code": "000000" if code != "000000" else "111111"})
    assert "pas le bon" in wrong.content.decode() or "expiré" in wrong.content.decode()
    assert not Subscriber.objects.get().is_active
    assert client.post(response["Location"], {"code": code}).status_code == 302
    assert Subscriber.objects.get().is_active


@pytest.mark.django_db
def test_webhook_subscription_gets_a_secret_and_private_addresses_are_refused(client, components):
    refused = subscribe(client, "webhook", "http://127.0.0.1:8000/hook")
    assert refused.status_code == 200 and not Subscriber.objects.exists()
    assert "adresse" in refused.content.decode().lower()
    accepted = subscribe(client, "webhook", "https://93.184.216.34/hooks/status")
    sub = Subscriber.objects.get()
    assert sub.is_active and len(sub.secret) >= 40
    assert sub.secret in accepted.content.decode(), "the secret is shown once, to check signatures"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "channel, address",
    [("email", "not-an-address"), ("sms", "0612345678"), ("webhook", "ftp://example.org/x"), ("pigeon", "x")],
)
def test_bad_addresses_are_explained_and_store_nothing(client, components, channel, address):
    response = subscribe(client, channel, address)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not Subscriber.objects.exists() and not OutboundMessage.objects.exists()


@pytest.mark.django_db
def test_sign_up_is_rate_limited_per_address(client, components):
    for i in range(5):
        assert subscribe(client, "email", f"reader{i}@example.org").status_code == 200
    blocked = subscribe(client, "email", "reader9@example.org")
    assert "Trop d’abonnements" in blocked.content.decode()
    assert Subscriber.objects.count() == 5
    assert subscribe(client, "email", "other@example.org", ip="198.51.100.1").status_code == 200
    assert Subscriber.objects.count() == 6


@pytest.mark.django_db
def test_subscribing_twice_updates_the_subscription(client, components):
    subscribe(client, "email", "alice@example.org", "fr", [components.pos])
    subscribe(client, "email", "alice@example.org", "en", [components.booking])
    sub = Subscriber.objects.get()
    assert sub.language == "en" and list(sub.components.all()) == [components.booking]


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
