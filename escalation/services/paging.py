"""C3: urgent requests out of hours page the person on call (SMS and email through the outbox); without an
acknowledgement in ``SUPPORT_PAGE_ACK_MINUTES`` the backup is paged. One page per step and request (a
unique constraint), so two schedulers or two workers never page twice."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hub.audit import log_action
from hub.messaging import outbox

from ..audit import Action
from ..models import OnCallShift, Page, SupportRequest, TimelineEntry
from .common import add_entry

ACK_WORDS = {"ACK", "OK", "ACCEPT", "ACCEPTE", "ACCEPTÉ", "QUITTIERT"}


def shift_at(moment) -> OnCallShift | None:
    return (
        OnCallShift.objects.filter(starts_at__lte=moment, ends_at__gt=moment)
        .select_related("user", "backup")
        .order_by("-starts_at")
        .first()
    )


def _send(page: Page) -> None:
    request = page.request
    link = settings.SITE_URL + reverse("escalation:acknowledge", args=[page.token])
    with translation.override(page.user.language or settings.LANGUAGE_CODE):
        text = _("Guichet URGENT %(reference)s: %(subject)s. Reply ACK or open %(link)s") % {
            "reference": request.reference,
            "subject": request.subject[:60],
            "link": link,
        }
        subject = _("Urgent support request %(reference)s: you are paged") % {"reference": request.reference}
    outbox.enqueue_sms(to=page.phone, body=text, idempotency_key=f"support-page:{page.pk}:sms")
    if page.user.email:
        outbox.enqueue_email(
            to=page.user.email,
            subject=subject,
            body=f"{text}\n\n{request.body}",
            idempotency_key=f"support-page:{page.pk}:email",
        )


def page(*, request_id: int, step: str = Page.Step.PRIMARY) -> Page | None:
    """Page the person on call now (``step`` primary) or their backup; None when that step was already
    paged, when nobody is on call, or when the request no longer needs it."""
    now = timezone.now()
    with transaction.atomic():
        request = SupportRequest.objects.get(pk=request_id)
        shift = shift_at(now)
        if shift is None or not request.is_open:
            return None
        if step == Page.Step.BACKUP and request.pages.filter(acknowledged_at__isnull=False).exists():
            return None  # someone answered meanwhile
        user, phone = (
            (shift.user, shift.phone) if step == Page.Step.PRIMARY else (shift.backup, shift.backup_phone)
        )
        try:
            with transaction.atomic():
                sent = Page.objects.create(request=request, step=step, user=user, phone=phone, created_at=now)
        except IntegrityError:
            return None
        add_entry(request, TimelineEntry.Kind.PAGED, author="on-call", step=step, user=user.get_username())
        log_action("on-call", Action.PAGED, request, {"step": step, "user": user.get_username()})
        _send(sent)
    return sent


def acknowledge(*, page_id: int, via: str) -> bool:
    """Record the acknowledgement (``via`` "sms" or "link"); False when it was already acknowledged."""
    with transaction.atomic():
        now = timezone.now()
        if not Page.objects.filter(pk=page_id, acknowledged_at__isnull=True).update(acknowledged_at=now):
            return False
        acknowledged = Page.objects.select_related("request", "user").get(pk=page_id)
        add_entry(
            acknowledged.request,
            TimelineEntry.Kind.ACKNOWLEDGED,
            author=acknowledged.user,
            step=acknowledged.step,
            via=via,
        )
        log_action(acknowledged.user, Action.ACKNOWLEDGED, acknowledged.request, {"via": via})
    return True


def acknowledge_by_sms(*, number: str, body: str) -> bool:
    """An "ACK" reply from a paged number acknowledges that number's latest open page."""
    words = body.strip().upper().split()
    if not words or words[0].strip(".!") not in ACK_WORDS:
        return False
    latest = Page.objects.filter(phone=number, acknowledged_at__isnull=True).order_by("-created_at").first()
    return bool(latest) and acknowledge(page_id=latest.pk, via="sms")


def page_backups() -> int:
    """Page the backup of every primary page left unacknowledged too long (the scheduler runs this)."""
    cutoff = timezone.now() - timedelta(minutes=settings.SUPPORT_PAGE_ACK_MINUTES)
    unanswered = Page.objects.filter(
        step=Page.Step.PRIMARY, acknowledged_at__isnull=True, created_at__lte=cutoff
    ).exclude(request__pages__step=Page.Step.BACKUP)
    return sum(
        1
        for request_id in unanswered.values_list("request_id", flat=True)
        if page(request_id=request_id, step=Page.Step.BACKUP)
    )
