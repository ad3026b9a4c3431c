"""C2: a support request as the seed asks for it, triaged (C4), timed (C7) and, when urgent out of hours,
paged (C3)."""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.audit import log_action
from hub.celery import delay_on_commit
from hub.i18n import LANGUAGE_CODES
from ticketing.selectors import order_by_reference, organisations_of

from .. import hours, sla, triage
from ..attachments import CheckedFile
from ..audit import Action
from ..models import SalesChannel, SupportRequest, TimelineEntry
from ..selectors import triage_context
from . import desk
from .common import add_entry, store_files

SEPARATORS = re.compile(r"[\s,;]+")
MAX_REFERENCES = 20
MAX_MOMENTS = 10


@dataclass
class Draft:
    """What the requester wrote, checked field by field by the form or the API before it gets here."""

    email: str
    subject: str
    body: str
    language: str = "fr"
    country: str = ""
    name: str = ""
    channels: list[str] = field(default_factory=list)
    moments: list[datetime] = field(default_factory=list)
    references: str = ""  # order references and links, as typed
    files: list[CheckedFile] = field(default_factory=list)
    transcript: list[tuple[str, str]] = field(default_factory=list)  # a chatbot handoff's conversation


def split_references(text: str, organisation) -> tuple[list[str], list[str]]:
    """Order references of ``organisation`` and http(s) links in ``text``; anything else is an error that
    names the token (another organisation's order is as unknown as a made-up one)."""
    orders, links, unknown = [], [], []
    check_url = URLValidator(schemes=["http", "https"])
    for token in [t for t in SEPARATORS.split(text.strip()) if t][: MAX_REFERENCES + 1]:
        if token.lower().startswith(("http://", "https://")):
            try:
                check_url(token)
            except ValidationError:
                unknown.append(token)
            else:
                links.append(token)
        elif organisation is not None and order_by_reference(organisation, token):
            orders.append(token.upper())
        else:
            unknown.append(token)
    if len(orders) + len(links) > MAX_REFERENCES:
        raise ValidationError(
            {"references": _("Give at most %(n)s references or links.") % {"n": MAX_REFERENCES}}
        )
    if unknown:
        message = (
            _("Not an order of your organisation nor a web address: %(tokens)s")
            if organisation is not None
            else _("Not a web address (sign in to refer to your orders): %(tokens)s")
        )
        raise ValidationError({"references": message % {"tokens": ", ".join(unknown[:5])}})
    return list(dict.fromkeys(orders)), list(dict.fromkeys(links))


def _check(draft: Draft) -> None:
    problems = {}
    if not draft.subject.strip():
        problems["subject"] = _("Give the request a short subject.")
    if len(draft.body.strip()) < 10:
        problems["body"] = _("Describe what happens in a few words (at least 10 characters).")
    if set(draft.channels) - set(SalesChannel.values):
        problems["channels"] = _("Choose the channels from the list.")
    if len(draft.moments) > MAX_MOMENTS or any(timezone.is_naive(m) for m in draft.moments):
        problems["moments"] = _("Give at most %(n)s dates and times.") % {"n": MAX_MOMENTS}
    if len(draft.files) > settings.SUPPORT_ATTACHMENTS_MAX:
        problems["files"] = _("A request can carry at most %(limit)s files.") % {
            "limit": settings.SUPPORT_ATTACHMENTS_MAX
        }
    if problems:
        raise ValidationError(problems)


def submit_request(*, requester, organisation_id: int | None, draft: Draft) -> SupportRequest:
    """Record the request, triage it, set its SLA due times and page on-call when it is urgent out of
    hours. ``requester``: the signed-in user, None on the public form; ``organisation_id``: one of theirs."""
    _check(draft)
    organisation = None
    if organisation_id is not None:
        organisation = organisations_of(requester).filter(pk=organisation_id).first() if requester else None
        if organisation is None:
            raise PermissionDenied("not a member of this organisation")
    orders, links = split_references(draft.references, organisation)
    language = draft.language if draft.language in LANGUAGE_CODES else settings.LANGUAGE_CODE
    line = hours.line_for(draft.country or (organisation.country if organisation else "") or "FR")
    country = line.country if line else (draft.country or "FR").upper()
    verdict = triage.triage(
        f"{draft.subject}\n{draft.body}",
        language,
        channels=draft.channels,
        context=triage_context(organisation, draft.channels),
    )
    now = timezone.now()
    first_due, resolution_due = sla.due_times(priority=verdict.priority, start=now, country=country)
    with transaction.atomic():
        request = SupportRequest.objects.create(
            organisation=organisation,
            requester=requester if getattr(requester, "is_authenticated", False) else None,
            requester_email=draft.email.strip().lower(),
            requester_name=draft.name.strip()[:150],
            language=language,
            country=country,
            subject=draft.subject.strip()[:200],
            body=draft.body.strip(),
            channels=list(dict.fromkeys(draft.channels)),
            moments=[m.isoformat() for m in draft.moments],
            orders=orders,
            links=links,
            transcript=[[str(who), str(text)[:2000]] for who, text in draft.transcript][:200],
            urgent=verdict.urgent,
            triaged_urgent=verdict.urgent,
            priority=verdict.priority,
            reasons=list(verdict.reasons),
            first_response_due=first_due,
            resolution_due=resolution_due,
            created_at=now,
            updated_at=now,
        )
        entry = add_entry(request, TimelineEntry.Kind.CREATED, author=requester, body=request.body)
        store_files(request, entry, draft.files)
        log_action(
            requester,
            Action.REQUEST_CREATED,
            request,
            {"urgent": verdict.urgent, "priority": verdict.priority, "reasons": verdict.reasons},
        )
        desk.acknowledge_receipt(request)
        if verdict.urgent and line and not hours.Calendar(line).is_open(now):
            delay_on_commit("escalation.page_on_call", request.pk)
    return request


def purge_transcripts(*, older_than_days: int) -> int:
    """Drop the chatbot transcripts of requests created more than ``older_than_days`` days ago."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    return SupportRequest.objects.filter(created_at__lt=cutoff).exclude(transcript=[]).update(transcript=[])
