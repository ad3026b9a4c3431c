"""The requester's writes (C10): add to their request (text and files), close it, rate the answer."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.audit import log_action

from ..attachments import CheckedFile
from ..audit import Action
from ..models import Rating, SupportRequest, TimelineEntry
from .common import add_entry, store_files
from .desk import _locked, _set_status
from .escalations import may_escalate


def add_message(
    *,
    actor,
    request_id: int,
    body: str,
    files: list[CheckedFile] = (),
    via: str = "web",
    author_label: str = "",
) -> TimelineEntry:
    """The requester writes again (on the page or by answering an email): a request waiting on them
    opens again, and its SLA clock starts again from where it stopped."""
    body = body.strip()
    if not body and not files:
        raise ValidationError({"body": _("Write your message or attach a file.")})
    with transaction.atomic():
        request = _locked(request_id)
        if via == "web" and not may_escalate(actor, request):
            raise PermissionDenied("not this requester's request")
        if request.status == "closed":
            raise ValidationError(_("This request is closed: send a new one."))
        if request.attachments.count() + len(files) > settings.SUPPORT_ATTACHMENTS_MAX * 4:
            raise ValidationError({"files": _("This request carries too many files already.")})
        entry = add_entry(
            request,
            TimelineEntry.Kind.MESSAGE_IN,
            author=actor if via == "web" else (author_label or "email"),
            body=body,
            via=via,
        )
        store_files(request, entry, list(files))
        if request.status in ("waiting", "resolved"):
            _set_status(actor if via == "web" else "email", request, "open")
        else:
            request.updated_at = timezone.now()
            request.save(update_fields=["updated_at"])
    return entry


def close(*, actor, request_id: int) -> SupportRequest:
    with transaction.atomic():
        request = _locked(request_id)
        if not may_escalate(actor, request):
            raise PermissionDenied("not this requester's request")
        if request.status != "resolved":
            _set_status(actor, request, "resolved")
        _set_status(actor, request, "closed")
    return request


def rate(*, request_id: int, score: int, comment: str = "") -> Rating:
    """One rating per request, once it is resolved; a second click changes the score (the same person)."""
    if score not in range(1, 6):
        raise ValidationError({"score": _("Choose from 1 to 5.")})
    with transaction.atomic():
        request = _locked(request_id)
        if request.status not in ("resolved", "closed"):
            raise ValidationError(_("You can rate the answer once the request is resolved."))
        agent = request.assignee
        rating, _created = Rating.objects.update_or_create(
            request=request, defaults={"score": score, "comment": comment.strip()[:2000], "agent": agent}
        )
        add_entry(request, TimelineEntry.Kind.RATED, author="requester", score=score)
        log_action("requester", Action.RATED, request, {"score": score})
    return rating
