"""C9: requests linked to a status incident; when it is resolved, every linked request is answered at once,
each in its requester's language, and marked resolved (once: ``IncidentLink.answered_at`` decides)."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hub.audit import log_action
from statuspage.selectors import incident as incident_by_code

from ..audit import Action
from ..models import IncidentLink, TimelineEntry
from .common import add_entry, require_support_staff
from .desk import _email, _locked, _set_status


def link_incident(*, actor, request_id: int, code: str) -> IncidentLink:
    require_support_staff(actor)
    try:
        incident = incident_by_code(code.strip())
    except ObjectDoesNotExist as missing:
        raise ValidationError({"incident": _("No incident has this code.")}) from missing
    if not incident.is_open:
        raise ValidationError({"incident": _("This incident is already resolved.")})
    with transaction.atomic():
        request = _locked(request_id)
        try:
            with transaction.atomic():
                link = IncidentLink.objects.create(request=request, incident=incident)
        except IntegrityError:
            raise ValidationError(
                {"incident": _("The request is already linked to this incident.")}
            ) from None
        add_entry(request, TimelineEntry.Kind.INCIDENT, author=actor, body=incident.name, code=incident.code)
        log_action(actor, Action.INCIDENT_LINKED, request, {"incident": incident.code})
    return link


def answer_resolved_incident(*, incident_id: int) -> int:
    """Answer every open request linked to the resolved incident; returns how many were answered."""
    answered = 0
    for link_id in IncidentLink.objects.filter(incident_id=incident_id, answered_at__isnull=True).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            if not IncidentLink.objects.filter(pk=link_id, answered_at__isnull=True).update(
                answered_at=timezone.now()
            ):
                continue  # another worker answered it
            link = IncidentLink.objects.select_related("incident").get(pk=link_id)
            request = _locked(link.request_id)
            if not request.is_open:
                continue
            with translation.override(request.language):
                body = render_to_string(
                    "escalation/emails/incident_resolved.txt",
                    {"request": request, "incident": link.incident.name_in(request.language)},
                ).strip()
            entry = add_entry(request, TimelineEntry.Kind.MESSAGE_OUT, author="status", body=body)
            if request.first_responded_at is None:
                request.first_responded_at = timezone.now()
                request.save(update_fields=["first_responded_at"])
            _email(
                request,
                subject=f"[{request.reference}] {request.subject}",
                body=body,
                key=f"support-reply:{entry.pk}",
            )
            _set_status("status", request, "resolved")
            log_action("status", Action.REPLIED, request, {"incident": link.incident.code})
            answered += 1
    return answered
