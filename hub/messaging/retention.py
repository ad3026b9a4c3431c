"""Sent messages do not keep what they said.

``OUTBOX_BODY_RETENTION_DAYS`` after a message was sent, its body, HTML, attachments (and a webhook's signing
secret) are deleted; the row stays, with its recipient, subject and delivery record. Messages still to be
sent (pending, failed) keep everything.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hub.models import MessageStatus, OutboundAttachment, OutboundMessage


def purge_sent_bodies() -> int:
    """Purge the content of messages sent before the retention period, one batch per transaction; returns
    how many were purged. Safe to run twice: purged messages are skipped."""
    now = timezone.now()
    old = OutboundMessage.objects.filter(
        status=MessageStatus.SENT,
        sent_at__lt=now - timedelta(days=settings.OUTBOX_BODY_RETENTION_DAYS),
        purged_at__isnull=True,
    )
    purged = 0
    while True:
        with transaction.atomic():
            ids = list(old.order_by("sent_at").values_list("pk", flat=True)[: settings.OUTBOX_BATCH_SIZE])
            if not ids:
                return purged
            OutboundAttachment.objects.filter(message_id__in=ids).delete()
            purged += old.filter(pk__in=ids).update(body="", html="", secret="", purged_at=now)
