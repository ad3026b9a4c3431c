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
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.celery import task
from hub.models import Channel, MessageStatus, OutboundAttachment, OutboundMessage, Suppression
from hub.sms import is_e164

from .transports import DeliveryError, transport_for
from .webhooks import check_form

logger = logging.getLogger(__name__)

_collecting = local()
CHUNK = 500  # rows per bulk statement


def normalise_address(channel: str, address: str) -> str:
    """The form under which an address is suppressed: lower-case emails, numbers as given (E.164)."""
    address = address.strip()
    return address.lower() if channel == Channel.EMAIL else address


def enqueue_email(*, attachments: Iterable[tuple] = (), **fields) -> OutboundMessage:
    """Queue an email to one address.

    Fields: ``to, subject, body, idempotency_key`` and optionally ``html, from_email, reply_to, headers,
    send_after``, and ``sensitive=True`` for a message that carries a credential (a password-reset or sign-in
    link, an invitation, a code): operators never see its body. ``attachments`` are
    ``(filename, bytes, mimetype[, content_id for inline images])``.
    """
    return _save(_email_message(**fields), attachments)


def enqueue_emails(messages: Iterable[dict]) -> list[int]:
    """Queue many emails in a few statements (fan-outs); each dict holds ``enqueue_email``'s fields.

    Returns the ids of the messages, those queued earlier under the same keys included.
    """
    rows = [_email_message(**fields) for fields in messages]
    OutboundMessage.objects.bulk_create(rows, batch_size=CHUNK, ignore_conflicts=True)
    immediate = {row.idempotency_key for row in rows if _immediate(row)}
    ids, dispatch_now = [], []
    keys = [row.idempotency_key for row in rows]
    for start in range(0, len(keys), CHUNK):
        stored = OutboundMessage.objects.filter(idempotency_key__in=keys[start : start + CHUNK])
        for pk, key in stored.values_list("pk", "idempotency_key"):
            ids.append(pk)
            if key in immediate:
                dispatch_now.append(pk)
    _dispatch_after_commit(dispatch_now)
    return ids


def enqueue_sms(
    *,
    to: str,
    body: str,
    idempotency_key: str,
    send_after: datetime | None = None,
    sensitive: bool = False,
) -> OutboundMessage:
    """Queue an SMS to a number in E.164 form (``+33612345678``); ``sensitive`` as for ``enqueue_email``."""
    to = to.strip()
    if not is_e164(to):
        raise ValidationError(_("Enter the number in international form, e.g. +33612345678."), code="e164")
    return _save(
        _message(
            channel=Channel.SMS,
            recipient=to,
            idempotency_key=idempotency_key,
            body=body,
            send_after=send_after,
            sensitive=sensitive,
        )
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
    """Queue a signed JSON POST to ``url``; refused at once unless the URL is a well-formed http(s) address.

    Where it points is checked when it is sent (``WebhookTransport``): a host that stopped resolving or
    now points to a private address fails that one message, never the caller (a fan-out goes on).
    """
    check_form(url)
    return _save(
        _message(
            channel=Channel.WEBHOOK,
            recipient=url,
            idempotency_key=idempotency_key,
            body=json.dumps(payload, separators=(",", ":"), ensure_ascii=False, default=str),
            options={"event": event} if event else {},
            secret=secret,
            send_after=send_after,
        )
    )


def _message(*, channel, recipient, idempotency_key, send_after=None, **fields) -> OutboundMessage:
    """An unsaved message; one with ``send_after`` is left to the periodic sweep, even if already due."""
    now = timezone.now()
    return OutboundMessage(
        channel=channel,
        recipient=recipient,
        idempotency_key=idempotency_key,
        next_attempt_at=send_after or now,
        created_at=now,
        **fields,
    )


def _immediate(message: OutboundMessage) -> bool:
    """Not scheduled: a task delivers it right after commit."""
    return message.next_attempt_at == message.created_at


def _email_message(
    *,
    to: str,
    subject: str,
    body: str,
    idempotency_key: str,
    html: str | None = None,
    from_email: str | None = None,
    reply_to: Iterable[str] = (),
    headers: dict | None = None,
    send_after: datetime | None = None,
    sensitive: bool = False,
) -> OutboundMessage:
    to = to.strip()
    validate_email(to)
    options = {"from": from_email or settings.DEFAULT_FROM_EMAIL, "reply_to": list(reply_to)}
    if headers:
        options["headers"] = headers
    return _message(
        channel=Channel.EMAIL,
        recipient=to,
        idempotency_key=idempotency_key,
        subject=" ".join(subject.split()),
        body=body,
        html=html or "",
        options=options,
        send_after=send_after,
        sensitive=sensitive,
    )


def _save(message: OutboundMessage, attachments: Iterable[tuple] = ()) -> OutboundMessage:
    """Store ``message`` unless its key is already queued, in which case the stored one is returned."""
    existing = OutboundMessage.objects.filter(idempotency_key=message.idempotency_key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            message.save(force_insert=True)
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
    except IntegrityError:  # the same key was queued concurrently: that message stands
        return OutboundMessage.objects.get(idempotency_key=message.idempotency_key)
    if _immediate(message):
        _dispatch_after_commit([message.pk])
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


def _dispatch_after_commit(message_ids: list[int]) -> None:
    if not message_ids:
        return
    collected = getattr(_collecting, "ids", None)
    if collected is not None:
        collected.extend(message_ids)
    else:
        transaction.on_commit(lambda: dispatch(message_ids))


def dispatch(message_ids: list[int]) -> None:
    """Ask the workers to deliver these messages. If the broker is down, the 30 s sweep will."""
    size = settings.OUTBOX_BATCH_SIZE
    for start in range(0, len(message_ids), size):
        try:
            task("hub.tasks.deliver_messages").delay(message_ids[start : start + size])
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


# Outcomes are written in small groups, one commit each: a sender that dies mid-batch loses at most
# this many "sent" marks, and only those messages go out again once its lease expires.
RECORD_EVERY = 10


def _outcome(message: OutboundMessage, provider_id: str = "", error: DeliveryError | None = None):
    """(name, fields to store) for one attempt."""
    if error is None:
        return "sent", {
            "status": MessageStatus.SENT,
            "sent_at": timezone.now(),
            "provider_id": provider_id[:255],
            "last_error": "",
        }
    if error.opted_out:
        Suppression.objects.get_or_create(
            channel=message.channel,
            address=normalise_address(message.channel, message.recipient),
            defaults={"reason": str(error)[:255]},
        )
    if error.permanent or message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        logger.warning("outbox message %s failed for good: %s", message.pk, error)
        return "failed", {"status": MessageStatus.FAILED, "last_error": str(error)[:2000]}
    return "retrying", {
        "status": MessageStatus.PENDING,
        "next_attempt_at": timezone.now() + retry_delay(message.attempts),
        "last_error": str(error)[:2000],
    }


def _record(token: str, outcomes: list[tuple[int, dict]]) -> None:
    """Store outcomes and release the claims, unless another sender took a row over in the meantime."""
    with transaction.atomic():
        for pk, fields in outcomes:
            OutboundMessage.objects.filter(pk=pk, claim_token=token).update(
                claim_token=None, claimed_until=None, **fields
            )
    outcomes.clear()


def send_claimed(token: str, messages: list[OutboundMessage]) -> Counter:
    """Send claimed messages, one connection per channel, and record each outcome."""
    counts = Counter()
    outcomes: list[tuple[int, dict]] = []
    suppressed = set(
        Suppression.objects.filter(
            address__in={normalise_address(m.channel, m.recipient) for m in messages}
        ).values_list("channel", "address")
    )
    for channel in sorted({m.channel for m in messages}):
        transport = transport_for(channel)
        try:
            for message in (m for m in messages if m.channel == channel):
                if (channel, normalise_address(channel, message.recipient)) in suppressed:
                    name, fields = "suppressed", {"status": MessageStatus.SUPPRESSED}
                else:
                    try:
                        name, fields = _outcome(message, provider_id=transport.send(message))
                    except DeliveryError as error:
                        name, fields = _outcome(message, error=error)
                counts[name] += 1
                outcomes.append((message.pk, fields))
                if len(outcomes) >= RECORD_EVERY:
                    _record(token, outcomes)
        finally:
            _record(token, outcomes)
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
