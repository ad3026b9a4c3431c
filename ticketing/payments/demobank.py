"""The demo bank: a stand-in for a real payment provider, with its own hosted page (``demobank_views``).

It keeps no state and never stores a card number: a payment session is a token signed with the bank's
key, the transaction id is derived from the session, and the notification it POSTs to the merchant is
signed with HMAC-SHA256 (``X-Demobank-Signature: t=<unix time>,v1=<hex of HMAC("<t>.<body>")>``).
"""

import hashlib
import hmac
import json
import secrets
import time
from decimal import Decimal

import urllib3
from django.conf import settings
from django.core import signing

SIGNATURE_HEADER = "X-Demobank-Signature"
SESSION_MAX_AGE = 3600
SIGNATURE_TOLERANCE = 600  # seconds a signed notification stays acceptable


def _key() -> bytes:
    return hashlib.sha256(b"guichet-demobank:" + settings.SECRET_KEY.encode()).digest()


def _derive(prefix: str, value: str) -> str:
    return prefix + hmac.new(_key(), value.encode(), hashlib.sha256).hexdigest()[:24]


def open_session(*, merchant, amount: Decimal, currency, description, return_url, cancel_url, notify_url):
    """A new payment session: (session id, token carried in the hosted page's URL)."""
    session_id = "cs_" + secrets.token_hex(12)
    payload = {
        "id": session_id,
        "merchant": merchant,
        "amount": f"{amount:.2f}",
        "currency": currency,
        "description": description,
        "return_url": return_url,
        "cancel_url": cancel_url,
        "notify_url": notify_url,
    }
    return session_id, signing.dumps(payload, key=_key().hex(), salt="demobank.session", compress=True)


def read_session(token: str) -> dict:
    """The session behind a token; raises ``signing.BadSignature`` (or its subclass for expiry)."""
    return signing.loads(token, key=_key().hex(), salt="demobank.session", max_age=SESSION_MAX_AGE)


def transaction_id(session: dict) -> str:
    """The same session always yields the same transaction: paying twice cannot charge twice."""
    return _derive("tx_", session["id"])


def notification_body(session: dict, status: str = "paid") -> bytes:
    return json.dumps(
        {
            "session_id": session["id"],
            "transaction_id": transaction_id(session),
            "status": status,
            "amount": session["amount"],
            "currency": session["currency"],
            "merchant_reference": session["merchant"],
        },
        separators=(",", ":"),
    ).encode()


def sign(body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(_key(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(body: bytes, header: str) -> bool:
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
    except (ValueError, KeyError):
        return False
    if abs(time.time() - timestamp) > SIGNATURE_TOLERANCE:
        return False
    return hmac.compare_digest(sign(body, timestamp), header)


def send_notification(session: dict, status: str = "paid") -> int:
    """POST the signed notification to the merchant, as the bank's servers would; returns the HTTP status."""
    body = notification_body(session, status)
    response = urllib3.request(
        "POST",
        session["notify_url"],
        body=body,
        headers={"Content-Type": "application/json", SIGNATURE_HEADER: sign(body)},
        timeout=urllib3.Timeout(connect=5, read=15),
        retries=False,
        redirect=False,
    )
    return response.status


def refund(*, transaction_id: str, amount: Decimal, idempotency_key: str) -> str:
    """The bank's refund API: the same idempotency key always gives the same refund."""
    if not transaction_id.startswith("tx_") or amount <= 0:
        raise ValueError("the bank refuses this refund")
    return _derive("re_", idempotency_key)
