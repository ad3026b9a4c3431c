"""Outgoing email, SMS and webhooks through one durable outbox (see ``outbox``)."""

from .outbox import (
    batch,
    deliver_due,
    deliver_messages,
    enqueue_email,
    enqueue_emails,
    enqueue_sms,
    enqueue_webhook,
    normalise_address,
)
from .retention import purge_sent_bodies
from .transports import DeliveryError
from .webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign, verify

__all__ = [
    "DeliveryError",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "batch",
    "deliver_due",
    "deliver_messages",
    "enqueue_email",
    "enqueue_emails",
    "enqueue_sms",
    "enqueue_webhook",
    "normalise_address",
    "purge_sent_bodies",
    "sign",
    "verify",
]
