"""Replies by email land on their request through anymail's signed Mailgun inbound webhook (C10)."""

import hashlib
import hmac
import json
import time

import pytest

from escalation.inbound import strip_quoted
from escalation.models import TimelineEntry

from .conftest import new_request

pytestmark = pytest.mark.django_db
KEY = "key-mailgun-test-signing"
URL = "/hooks/email/mailgun/inbound/"


def mailgun_post(client, fields, key=KEY, files=None):
    """A Mailgun "forward" route's POST, with its signature fields, as Mailgun sends it."""
    timestamp, token = str(int(time.time())), "a" * 50
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    data = {"timestamp": timestamp, "token": token, "signature": signature, **fields}
    if files:
        data.update(files)
    return client.post(URL, data)


def reply_fields(request, text, address=None):
    """Mailgun's "fully parsed" forward: the headers in message-headers, the text in body-plain."""
    address = address or f"support+{request.reply_token}@reply.guichet.localhost"
    headers = [
        ["From", "Kasse <kasse@halle.example>"],
        ["To", address],
        ["Subject", f"Re: [{request.reference}] {request.subject}"],
        ["Content-Type", "text/plain; charset=utf-8"],
    ]
    return {
        "recipient": address,
        "sender": "kasse@halle.example",
        "from": "Kasse <kasse@halle.example>",
        "subject": f"Re: [{request.reference}] {request.subject}",
        "body-plain": text,
        "message-headers": json.dumps(headers),
    }


@pytest.fixture
def signing_key(settings):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": KEY}


def test_a_signed_reply_lands_on_its_request_without_the_quoted_text_and_reopens_it(client, signing_key):
    request = new_request(status="waiting", requester_email="kasse@halle.example")
    text = (
        "Es geht wieder, danke!\n\n"
        "Am 05.12.2026 um 22:01 schrieb Guichet <support@guichet.example>:\n> Bitte Seite neu laden."
    )
    assert mailgun_post(client, reply_fields(request, text)).status_code == 200
    entry = request.timeline.get(kind=TimelineEntry.Kind.MESSAGE_IN)
    assert entry.body == "Es geht wieder, danke!"
    assert entry.author_label == "kasse@halle.example"
    request.refresh_from_db()
    assert request.status == "open"


def test_a_bad_signature_or_an_unknown_address_changes_nothing(client, signing_key):
    request = new_request()
    assert mailgun_post(client, reply_fields(request, "Hallo"), key="wrong").status_code == 400
    fields = reply_fields(request, "Hallo", address="support+forged@reply.guichet.localhost")
    assert mailgun_post(client, fields).status_code == 200  # accepted by the route, matched to nothing
    assert not request.timeline.filter(kind=TimelineEntry.Kind.MESSAGE_IN).exists()


def test_without_a_signing_key_the_route_does_not_exist(client, settings):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": ""}
    assert client.post(URL, {}).status_code == 404


@pytest.mark.parametrize(
    "text, kept",
    [
        ("Merci !\n\nLe ven. 5 déc. 2026 à 22:01, Guichet a écrit :\n> texte", "Merci !"),
        ("Thanks\n\nOn Fri, Dec 5, 2026 at 10:01 PM Guichet <s@g.example> wrote:\n> text", "Thanks"),
        ("Top\n-----Original Message-----\nFrom: Guichet", "Top"),
        ("Line one\nLine two", "Line one\nLine two"),
    ],
)
def test_quoted_text_is_stripped_in_three_languages(text, kept):
    assert strip_quoted(text) == kept
