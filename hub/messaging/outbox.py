"""The outbox: nothing lost, nothing sent twice.

A message is a row written in the caller's transaction, unique by its idempotency key. After commit a
Celery task delivers it; every 30 s the scheduler's ``deliver_due`` picks up whatever no task took.
Senders claim rows with a conditional update (and ``SKIP LOCKED`` on PostgreSQL) before sending, so two
workers never send the same row; a claim is a lease, so a worker that dies mid-batch only delays its rows.
"""

import json
import logging
import uuid
from collections import Counter
from collections.abc import Iterable
from contextlib import contextmanager
from datetime import datetime, timedelta
from threading import local

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.models import Channel, MessageStatus, OutboundAttachment, OutboundMessage, Suppression
from hub.sms import is_e164

from .transports import DeliveryError, transport_for
from .webhooks import resolve_public_target

logger = logging.getLogger(__name__)

_collecting = local()


def normalise_address(channel: str, address: str) -> str:
    """The form under which an address is suppressed: lower-case emails, numbers as given (E.164)."""
    address = address.strip()
    return address.lower() if channel == Channel.EMAIL else address


def is_suppressed(channel: str, address: str) -> bool:
    return Suppression.objects.filter(channel=channel, address=normalise_address(channel, address)).exists()


def enqueue_email(
    *,
    to: str,
    subject: str,
    body: str,
    idempotency_key: str,
    html: str | None = None,
    from_email: str | None = None,
    reply_to: Iterable[str] = (),
    headers: dict | None = None,
    attachments: Iterable[tuple] = (),
    send_after: datetime | None = None,
) -> OutboundMessage:
    """Queue an email to one address. ``attachments`` are ``(filename, bytes, mimetype[, content_id])``."""
    to = to.strip()
    validate_email(to)
    options = {"from": from_email or settings.DEFAULT_FROM_EMAIL, "reply_to": list(reply_to)}
    if headers:
        options["headers"] = headers
    return _enqueue(
        channel=Channel.EMAIL,
        recipient=to,
        idempotency_key=idempotency_key,
        subject=" ".join(subject.split()),
        body=body,
        html=html or "",
        options=options,
        attachments=attachments,
        send_after=send_after,
    )


def enqueue_sms(
    *, to: str, body: str, idempotency_key: str, send_after: datetime | None = None
) -> OutboundMessage:
    """Queue an SMS to a number in E.164 form (``+33612345678``)."""
    to = to.strip()
    if not is_e164(to):
        raise ValidationError(_("Enter the number in international form, e.g. +33612345678."), code="e164")
    return _enqueue(
        channel=Channel.SMS, recipient=to, idempotency_key=idempotency_key, body=body, send_after=send_after
    )


def enqueue_webhook(
    *,
    url: str,
    payload: dict,
    secret: str,
    idempotency_key: str,
    event: str = "",
    send_after: datetime | None = None,
) -> OutboundMessage:
    """Queue a signed JSON POST to ``url``; refused at once unless the URL is a public http(s) address."""
    resolve_public_target(url)
    return _enqueue(
        channel=Channel.WEBHOOK,
        recipient=url,
        idempotency_key=idempotency_key,
        body=json.dumps(payload, separators=(",", ":"), ensure_ascii=False, default=str),
        options={"event": event} if event else {},
        secret=secret,
        send_after=send_after,
    )


def _enqueue(
    *, channel, recipient, idempotency_key, attachments=(), send_after=None, **fields
) -> OutboundMessage:
    now = timezone.now()
    status = MessageStatus.SUPPRESSED if is_suppressed(channel, recipient) else MessageStatus.PENDING
    with transaction.atomic():
        message, created = OutboundMessage.objects.get_or_create(
            idempotency_key=idempotency_key,
            defaults={
                "channel": channel,
                "recipient": recipient,
                "status": status,
                "next_attempt_at": max(send_after or now, now),
                "created_at": now,
                **fields,
            },
        )
        if created:
            OutboundAttachment.objects.bulk_create(
                OutboundAttachment(
                    message=message,
                    filename=filename,
                    content=content,
                    content_type=mimetype,
                    inline_id=rest[0] if rest else "",
                )
                for filename, content, mimetype, *rest in attachments
            )
    if created and status == MessageStatus.PENDING and send_after is None:
        _dispatch_after_commit(message.pk)
    return message


@contextmanager
def batch():
    """Collect the messages enqueued inside and hand them to the workers in chunks after commit.

    Fan-outs use it so that 10,000 messages make 100 tasks rather than 10,000::

        with transaction.atomic(), messaging.batch():
            for subscriber in subscribers:
                messaging.enqueue_email(...)
    """
    if getattr(_collecting, "ids", None) is not None:  # nested: the outer batch dispatches
        yield
        return
    ids = _collecting.ids = []
    try:
        yield
    finally:
        _collecting.ids = None
    transaction.on_commit(lambda: dispatch(ids))


def _dispatch_after_commit(message_id: int) -> None:
    collected = getattr(_collecting, "ids", None)
    if collected is not None:
        collected.append(message_id)
    else:
        transaction.on_commit(lambda: dispatch([message_id]))


def dispatch(message_ids: list[int]) -> None:
    """Ask the workers to deliver these messages. If the broker is down, the 30 s sweep will."""
    from hub.tasks import deliver_messages

    size = settings.OUTBOX_BATCH_SIZE
    for start in range(0, len(message_ids), size):
        try:
            deliver_messages.delay(message_ids[start : start + size])
        except Exception:  # the rows are safe in the database; the periodic sweep delivers them
            logger.exception("could not queue delivery of %d messages; the sweep will", len(message_ids))
            return


def _due(now) -> Q:
    return Q(status=MessageStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=MessageStatus.SENDING, claimed_until__lt=now
    )


def claim(*, ids: Iterable[int] | None = None, limit: int) -> tuple[str, list[OutboundMessage]]:
    """Take up to ``limit`` due messages (among ``ids`` if given) for this sender alone."""
    now = timezone.now()
    due = OutboundMessage.objects.filter(_due(now))
    if ids is not None:
        due = due.filter(pk__in=list(ids))
    token = uuid.uuid4().hex
    with transaction.atomic():
        candidates = list(
            due.order_by("next_attempt_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        if not candidates:
            return token, []
        # The due condition is checked again by the UPDATE itself: on a database without row locks
        # (SQLite) a row another sender took in the meantime is simply not updated here.
        OutboundMessage.objects.filter(_due(now), pk__in=candidates).update(
            status=MessageStatus.SENDING,
            claim_token=token,
            claimed_until=now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS),
            attempts=F("attempts") + 1,
            last_attempt_at=now,
        )
    claimed = OutboundMessage.objects.filter(claim_token=token, status=MessageStatus.SENDING)
    return token, list(claimed.prefetch_related("attachments").order_by("pk"))


def retry_delay(attempts: int) -> timedelta:
    seconds = settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_SECONDS))


def _finish(token: str, message: OutboundMessage, **fields) -> None:
    OutboundMessage.objects.filter(pk=message.pk, claim_token=token).update(
        claim_token=None, claimed_until=None, **fields
    )


def _record_failure(token: str, message: OutboundMessage, error: DeliveryError) -> str:
    if error.opted_out:
        Suppression.objects.get_or_create(
            channel=message.channel,
            address=normalise_address(message.channel, message.recipient),
            defaults={"reason": str(error)[:255]},
        )
    final = error.permanent or message.attempts >= settings.OUTBOX_MAX_ATTEMPTS
    if final:
        _finish(token, message, status=MessageStatus.FAILED, last_error=str(error)[:2000])
        logger.warning("outbox message %s failed for good: %s", message.pk, error)
        return "failed"
    _finish(
        token,
        message,
        status=MessageStatus.PENDING,
        next_attempt_at=timezone.now() + retry_delay(message.attempts),
        last_error=str(error)[:2000],
    )
    return "retrying"


def send_claimed(token: str, messages: list[OutboundMessage]) -> Counter:
    """Send claimed messages, one connection per channel, and record each outcome."""
    counts = Counter()
    suppressed = {
        (channel, address)
        for channel, address in Suppression.objects.filter(
            address__in={normalise_address(m.channel, m.recipient) for m in messages}
        ).values_list("channel", "address")
    }
    for channel in sorted({m.channel for m in messages}):
        transport = transport_for(channel)
        try:
            for message in (m for m in messages if m.channel == channel):
                if (channel, normalise_address(channel, message.recipient)) in suppressed:
                    _finish(token, message, status=MessageStatus.SUPPRESSED)
                    counts["suppressed"] += 1
                    continue
                try:
                    provider_id = transport.send(message)
                except DeliveryError as error:
                    counts[_record_failure(token, message, error)] += 1
                    continue
                _finish(
                    token,
                    message,
                    status=MessageStatus.SENT,
                    sent_at=timezone.now(),
                    provider_id=provider_id[:255],
                    last_error="",
                )
                counts["sent"] += 1
        finally:
            transport.close()
    return counts


def deliver_messages(message_ids: Iterable[int]) -> dict:
    """Deliver these messages if they are still due (the task queued after commit calls this)."""
    ids = list(message_ids)
    token, claimed = claim(ids=ids, limit=len(ids))
    return dict(send_claimed(token, claimed)) if claimed else {}


def deliver_due() -> dict:
    """Send everything due now, batch after batch; returns counts: sent, retrying, failed, suppressed."""
    counts = Counter()
    while True:
        token, claimed = claim(limit=settings.OUTBOX_BATCH_SIZE)
        if not claimed:
            return dict(counts)
        counts.update(send_claimed(token, claimed))
