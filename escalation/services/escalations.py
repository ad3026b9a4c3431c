"""C5: a critical request escalated to the organisation's account manager, once, and handed back."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hub.audit import log_action
from hub.messaging import outbox
from hub.sms import is_e164
from ticketing.selectors import organisations_of

from ..audit import Action
from ..models import Escalation, SupportRequest, TimelineEntry
from .common import add_entry, is_support_staff


def manager_for(request: SupportRequest):
    """The organisation's account manager, else the head of support (``SUPPORT_HEAD``), else None."""
    if request.organisation_id and request.organisation.account_manager_id:
        return request.organisation.account_manager
    if settings.SUPPORT_HEAD:
        return get_user_model().objects.filter(username=settings.SUPPORT_HEAD, is_active=True).first()
    return None


def may_escalate(user, request: SupportRequest) -> bool:
    """The requester, staff of the request's organisation, and support staff."""
    if not getattr(user, "is_authenticated", False):
        return False
    if request.requester_id == user.pk or is_support_staff(user):
        return True
    return (
        bool(request.organisation_id) and organisations_of(user).filter(pk=request.organisation_id).exists()
    )


def _notify(escalation: Escalation) -> None:
    """Email and SMS to the manager, keyed so that each goes out once whatever happens around it."""
    request, manager = escalation.request, escalation.manager
    link = settings.SITE_URL + reverse("escalation:agent_request", args=[request.reference])
    organisation = request.organisation.name if request.organisation_id else request.requester_email
    with translation.override(manager.language or settings.LANGUAGE_CODE):
        subject = _("Escalation: %(reference)s from %(organisation)s") % {
            "reference": request.reference,
            "organisation": organisation,
        }
        body = _(
            "%(organisation)s escalated the support request %(reference)s “%(subject)s” to you.\n\n"
            "Reason: %(reason)s\n\nOpen it: %(link)s"
        ) % {
            "organisation": organisation,
            "reference": request.reference,
            "subject": request.subject,
            "reason": escalation.reason,
            "link": link,
        }
        sms = _("Guichet: %(reference)s escalated to you by %(organisation)s. %(link)s") % {
            "reference": request.reference,
            "organisation": organisation,
            "link": link,
        }
    if manager.email:
        outbox.enqueue_email(
            to=manager.email,
            subject=subject,
            body=body,
            idempotency_key=f"support-escalation:{request.pk}:email",
        )
    if is_e164(manager.mobile):
        outbox.enqueue_sms(
            to=manager.mobile, body=sms, idempotency_key=f"support-escalation:{request.pk}:sms"
        )


def escalate(*, actor, request_id: int, reason: str, automatic: bool = False) -> tuple[Escalation, bool]:
    """Escalate the request to its manager; returns ``(escalation, created)``. A second press, or a sweep
    racing a press, finds the first escalation and notifies nobody again (the one-to-one row decides)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this request needs the account manager.")})
    with transaction.atomic():
        request = (
            SupportRequest.objects.select_for_update(of=("self",))
            .select_related("organisation__account_manager")
            .get(pk=request_id)
        )
        if not automatic and not may_escalate(actor, request):
            raise PermissionDenied("not allowed to escalate this request")
        existing = Escalation.objects.filter(request=request).first()
        if existing:
            return existing, False
        manager = manager_for(request)
        if manager is None:
            raise ValidationError(_("No account manager or head of support is set up to take escalations."))
        try:
            with transaction.atomic():
                escalation = Escalation.objects.create(
                    request=request,
                    manager=manager,
                    reason=reason[:2000],
                    by=actor if getattr(actor, "is_authenticated", False) else None,
                    automatic=automatic,
                )
        except IntegrityError:  # a concurrent press won
            return Escalation.objects.get(request=request), False
        add_entry(
            request,
            TimelineEntry.Kind.ESCALATED,
            author=actor if not automatic else "sla",
            body=reason,
            manager=manager.get_username(),
            automatic=automatic,
        )
        log_action(
            actor if not automatic else "sla",
            Action.ESCALATED,
            request,
            {"manager": manager.get_username(), "reason": reason, "automatic": automatic},
        )
        _notify(escalation)
    return escalation, True


def mark_escalations_seen(*, actor) -> int:
    """The manager saw the pop-up: it stops showing their open escalations."""
    return Escalation.objects.filter(manager=actor, seen_at__isnull=True).update(seen_at=timezone.now())


def hand_back(*, actor, request_id: int, note: str) -> Escalation:
    """The manager returns the request to support with a note; the escalation stays on record."""
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Write a note for support.")})
    with transaction.atomic():
        escalation = (
            Escalation.objects.select_for_update().select_related("request").get(request_id=request_id)
        )
        if actor != escalation.manager and not is_support_staff(actor):
            raise PermissionDenied("only the manager hands an escalation back")
        if escalation.handed_back_at:
            raise ValidationError(_("This escalation was already handed back."))
        escalation.handed_back_at = timezone.now()
        escalation.handback_note = note[:2000]
        escalation.save(update_fields=["handed_back_at", "handback_note"])
        add_entry(escalation.request, TimelineEntry.Kind.HANDED_BACK, author=actor, body=note)
        log_action(actor, Action.HANDED_BACK, escalation.request, {"note": note})
    return escalation
