"""Reads of the support desk."""

from django.db.models import Prefetch

from ticketing import selectors as ticketing

from .models import Attachment, SupportRequest, TimelineEntry
from .services.common import is_support_staff


def request_for_staff(reference: str) -> SupportRequest | None:
    """A request with its timeline, attachments, escalation and pages, for the agent's page."""
    return (
        SupportRequest.objects.select_related(
            "organisation__account_manager", "assignee", "escalation__manager"
        )
        .prefetch_related(
            Prefetch("timeline", queryset=TimelineEntry.objects.select_related("author")),
            "attachments",
            "pages__user",
        )
        .filter(reference=reference)
        .first()
    )


def attachment_for(user, pk: int) -> Attachment | None:
    """The attachment if ``user`` may read it: support staff, or staff of the request's organisation (or the
    requester themselves); None otherwise, so that someone else's file is a 404, not a hint."""
    attachment = Attachment.objects.select_related("request").filter(pk=pk).first()
    if attachment is None or not getattr(user, "is_authenticated", False):
        return None
    request = attachment.request
    if is_support_staff(user) or request.requester_id == user.pk:
        return attachment
    if (
        request.organisation_id
        and ticketing.organisations_of(user).filter(pk=request.organisation_id).exists()
    ):
        return attachment
    return None


def customer_panel(request: SupportRequest) -> dict:
    """What the agent sees beside a request: the organisation, its manager and today's shows."""
    organisation = request.organisation
    if organisation is None:
        return {"organisation": None, "shows": []}
    return {
        "organisation": organisation,
        "manager": organisation.account_manager,
        "shows": list(ticketing.events_of_the_day(organisation)),
    }
