"""The agents' writes (C2, C4, C7): claim and assign, reply by email (threaded, in the requester's language),
internal notes, status changes with the SLA clock paused while waiting on the customer, urgency overrides."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hub.audit import log_action
from hub.messaging import outbox

from .. import sla
from ..audit import Action
from ..models import Priority, SupportRequest, TimelineEntry
from ..selectors import article_link
from .common import STAFF_ROLES, add_entry, require_support_staff

NEXT = {
    "new": {"open", "waiting", "resolved"},
    "open": {"waiting", "resolved"},
    "waiting": {"open", "resolved"},
    "resolved": {"open", "closed"},
    "closed": set(),
}


def reply_address(request: SupportRequest) -> str:
    return f"support+{request.reply_token}@{settings.SUPPORT_REPLY_DOMAIN}"


def _locked(request_id: int) -> SupportRequest:
    return (
        SupportRequest.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=request_id)
    )


def _email(request: SupportRequest, *, subject: str, body: str, key: str) -> None:
    """An email to the requester in their language, in the request's thread, answerable by replying."""
    outbox.enqueue_email(
        to=request.requester_email,
        subject=subject,
        body=body,
        idempotency_key=key,
        reply_to=[reply_address(request)],
        headers={"In-Reply-To": request.thread_id, "References": request.thread_id},
    )


def acknowledge_receipt(request: SupportRequest) -> None:
    """The first email of the thread: it carries the thread's Message-ID, later ones refer to it."""
    with translation.override(request.language):
        body = render_to_string("escalation/emails/received.txt", {"request": request})
        subject = _("[%(reference)s] We received your request: %(subject)s") % {
            "reference": request.reference,
            "subject": request.subject,
        }
    outbox.enqueue_email(
        to=request.requester_email,
        subject=subject,
        body=body,
        idempotency_key=f"support-received:{request.pk}",
        reply_to=[reply_address(request)],
        headers={"Message-ID": request.thread_id},
    )


def claim(*, actor, request_id: int) -> SupportRequest:
    return assign(actor=actor, request_id=request_id, assignee_id=actor.pk)


def assign(*, actor, request_id: int, assignee_id: int | None) -> SupportRequest:
    require_support_staff(actor)
    with transaction.atomic():
        request = _locked(request_id)
        assignee = None
        if assignee_id is not None:
            assignee = (
                get_user_model()
                .objects.filter(pk=assignee_id, is_active=True, role_assignments__role__in=STAFF_ROLES)
                .distinct()
                .first()
            )
            if assignee is None:
                raise ValidationError({"assignee": _("Choose a member of the support team.")})
        before = request.assignee.get_username() if request.assignee_id else ""
        request.assignee = assignee
        if request.status == "new" and assignee is not None:
            request.status = "open"
        request.updated_at = timezone.now()
        request.save(update_fields=["assignee", "status", "updated_at"])
        after = assignee.get_username() if assignee else ""
        add_entry(request, TimelineEntry.Kind.ASSIGNED, author=actor, before=before, after=after)
        log_action(actor, Action.ASSIGNED, request, {"before": before, "after": after})
    return request


def reply(*, actor, request_id: int, body: str, status: str = "waiting", article: str = "") -> TimelineEntry:
    """Answer the requester by email; the request then waits on them (or is resolved, if ``status`` says).

    ``article`` is the key of a help article: a line with its title and absolute URL, both in the
    requester's language, ends the answer (stored and emailed alike)."""
    require_support_staff(actor)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write the answer.")})
    with transaction.atomic():
        request = _locked(request_id)
        if request.status == "closed":
            raise ValidationError(_("This request is closed."))
        if article:
            link = article_link(request.language, article)
            if link is None:
                raise ValidationError({"article": _("Choose one of the help articles offered.")})
            with translation.override(request.language):
                line = _("Help article “%(title)s”: %(url)s") % {"title": link[0], "url": link[1]}
            body = f"{body}\n\n{line}"
        entry = add_entry(request, TimelineEntry.Kind.MESSAGE_OUT, author=actor, body=body)
        now = timezone.now()
        if request.first_responded_at is None:
            request.first_responded_at = now
        if request.assignee_id is None:
            request.assignee = actor
        request.save(update_fields=["first_responded_at", "assignee"])
        with translation.override(request.language):
            subject = f"[{request.reference}] {request.subject}"
            text = render_to_string("escalation/emails/reply.txt", {"request": request, "body": body})
        _email(request, subject=subject, body=text, key=f"support-reply:{entry.pk}")
        log_action(actor, Action.REPLIED, request, {"entry": entry.pk})
        if status != request.status:
            _set_status(actor, request, status)
    return entry


def add_note(*, actor, request_id: int, body: str) -> TimelineEntry:
    require_support_staff(actor)
    if not body.strip():
        raise ValidationError({"body": _("Write the note.")})
    with transaction.atomic():
        request = _locked(request_id)
        entry = add_entry(request, TimelineEntry.Kind.NOTE, author=actor, body=body.strip())
        log_action(actor, Action.NOTE_ADDED, request, {"entry": entry.pk})
    return entry


def _set_status(actor, request: SupportRequest, status: str) -> None:
    if status not in NEXT.get(request.status, set()):
        raise ValidationError(
            {
                "status": _("A request cannot go from “%(before)s” to “%(after)s”.")
                % {"before": request.get_status_display(), "after": status}
            }
        )
    now, before = timezone.now(), request.status
    if before == "waiting" and request.waiting_since:  # the clock stopped while the customer had the ball
        for field in ("first_response_due", "resolution_due"):
            setattr(
                request,
                field,
                sla.postponed(
                    getattr(request, field),
                    priority=request.priority,
                    country=request.country,
                    waited_from=request.waiting_since,
                    until=now,
                ),
            )
        request.waiting_since = None
    if status == "waiting":
        request.waiting_since = now
    request.resolved_at = (
        now if status == "resolved" else (request.resolved_at if status == "closed" else None)
    )
    request.closed_at = now if status == "closed" else None
    request.status = status
    request.updated_at = now
    request.save()
    add_entry(request, TimelineEntry.Kind.STATUS, author=actor, before=before, after=status)
    log_action(actor, Action.STATUS_CHANGED, request, {"before": before, "after": status})


def set_status(*, actor, request_id: int, status: str) -> SupportRequest:
    require_support_staff(actor)
    with transaction.atomic():
        request = _locked(request_id)
        _set_status(actor, request, status)
    return request


def override_urgency(*, actor, request_id: int, urgent: bool, reason: str) -> SupportRequest:
    """An agent's verdict over the rules' (C4), with a reason; the rules' verdict is kept for tuning."""
    require_support_staff(actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the rules were wrong: it helps tune them.")})
    with transaction.atomic():
        request = _locked(request_id)
        before = {"urgent": request.urgent, "priority": request.priority}
        request.urgent = urgent
        request.priority = (
            Priority.URGENT
            if urgent
            else (Priority.NORMAL if request.priority == Priority.URGENT else request.priority)
        )
        request.override_reason = reason.strip()[:500]
        request.first_response_due, request.resolution_due = sla.due_times(
            priority=request.priority, start=request.created_at, country=request.country
        )
        request.save()
        after = {"urgent": request.urgent, "priority": request.priority}
        add_entry(
            request, TimelineEntry.Kind.TRIAGE, author=actor, body=reason.strip(), before=before, after=after
        )
        log_action(
            actor, Action.URGENCY_OVERRIDDEN, request, {"before": before, "after": after, "reason": reason}
        )
    return request
