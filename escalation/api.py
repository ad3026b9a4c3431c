"""Support-desk API: the support lines' hours (public), requests for organisation staff (their own) and
support agents (all), and a triage preview for forms (rate-limited)."""

from datetime import datetime
from typing import Literal

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from hub import ratelimit
from hub.api import BearerToken, Language, Pages, TooManyRequests, errors
from ticketing.selectors import organisations_of

from . import hours, selectors, triage
from .models import Priority, SalesChannel, SupportRequest
from .services import desk
from .services.common import is_support_staff
from .services.requests import Draft, submit_request

router = Router(tags=["support"])
Channel = Literal[tuple(SalesChannel.values)]
Status = Literal[tuple(SupportRequest.Status.values)]
TRIAGE_PREVIEWS_PER_MINUTE = 30


class HoursIn(Schema):
    country: str = Field(..., min_length=2, max_length=2, pattern="^[A-Za-z]{2}$", description="e.g. CH")
    at: datetime | None = Field(None, description="ISO 8601 moment to ask about; now when left out")


class HoursOut(Schema):
    open: bool
    channel: Literal["email_or_phone", "phone_emergency_only"]
    phone: str
    email: str
    next_open: datetime = Field(..., description="now while open, else when the line opens next")
    time_zone: str
    country: str = Field(..., description="the line that answers (the first line for a country without one)")


@router.get("/hours/", response={200: HoursOut, **errors(400, 404)}, auth=None)
def support_hours(request, params: Query[HoursIn]):
    """Whether support is open for a country at a moment, how to reach it, and when it opens next."""
    at = params.at or timezone.now()
    if timezone.is_naive(at):
        return 400, {"detail": "at needs a time zone offset, e.g. 2026-12-05T22:00:00+01:00"}
    answer = hours.hours_at(params.country, at)
    if answer is None:
        return 404, {"detail": "no support line is set up"}
    return answer


class TriageIn(Schema):
    text: str = Field(..., min_length=1, max_length=10_000)
    lang: Language | None = None
    channels: list[Channel] = Field(default_factory=list, max_length=7)


class TriageOut(Schema):
    urgent: bool
    reasons: list[str]
    priority: Literal[tuple(Priority.values)]


@router.post("/triage/", response={200: TriageOut, **errors(400, 429)}, auth=None)
def triage_preview(request, body: TriageIn):
    """What the urgency rules say of a text (C4), for a form to show before sending; no context is used."""
    if not ratelimit.hit(
        "support-triage", ratelimit.client_ip(request) or "-", limit=TRIAGE_PREVIEWS_PER_MINUTE, window=60
    ):
        raise TooManyRequests("too many triage previews: wait a minute")
    return triage.triage(body.text, body.lang, channels=body.channels).as_dict()


class RequestIn(Schema):
    account_id: str = Field(
        ..., min_length=3, max_length=12, description="your organisation's, e.g. GU-7K4Q2M"
    )
    subject: str = Field(..., min_length=1, max_length=200)
    body: str = Field(..., min_length=1, max_length=10_000)
    channels: list[Channel] = Field(default_factory=list, max_length=7)
    moments: list[datetime] = Field(default_factory=list, max_length=10, description="aware ISO 8601")
    references: str = Field("", max_length=2000, description="order references and links")
    language: Language = "fr"
    country: str = Field("", max_length=2, pattern="^([A-Za-z]{2})?$")


class RequestOut(Schema):
    reference: str
    subject: str
    status: Status
    urgent: bool
    priority: Literal[tuple(Priority.values)]
    reasons: list[str]
    channels: list[str]
    account_id: str | None = None
    first_response_due: datetime | None
    resolution_due: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_account_id(request: SupportRequest) -> str | None:
        return request.organisation.account_id if request.organisation_id else None


class RequestPatch(Schema):
    status: Status | None = None
    urgent: bool | None = None
    reason: str = Field("", max_length=500, description="why the urgency changes (required with urgent)")


def _visible(user):
    if is_support_staff(user):
        return SupportRequest.objects.select_related("organisation")
    return selectors.requests_of(user)


@router.post("/requests/", response={201: RequestOut, **errors(400, 401, 403, 404)}, auth=BearerToken())
def create_request(request, body: RequestIn):
    """A support request from organisation staff, as on the form (no files through the API)."""
    organisation = get_object_or_404(
        organisations_of(request.auth), account_id=body.account_id.strip().upper()
    )
    if any(timezone.is_naive(moment) for moment in body.moments):
        return 400, {"detail": "moments need a time zone offset"}
    draft = Draft(
        email=request.auth.email or f"{request.auth.get_username()}@{settings.SUPPORT_REPLY_DOMAIN}",
        name=request.auth.get_full_name(),
        subject=body.subject,
        body=body.body,
        language=body.language,
        country=body.country,
        channels=list(body.channels),
        moments=list(body.moments),
        references=body.references,
    )
    return 201, submit_request(requester=request.auth, organisation_id=organisation.pk, draft=draft)


@router.get("/requests/", response={200: list[RequestOut], **errors(400, 401)}, auth=BearerToken())
@paginate(Pages, page_size=50)
def list_requests(request, status: Status | None = None):
    """Your organisations' requests; for support agents, every request in the queue's order."""
    if is_support_staff(request.auth):
        return selectors.queued(status=status or "active", user=request.auth).select_related("organisation")
    found = selectors.requests_of(request.auth)
    return found.filter(status=status) if status else found


@router.get("/requests/{reference}/", response={200: RequestOut, **errors(401, 404)}, auth=BearerToken())
def get_request(request, reference: str):
    return get_object_or_404(_visible(request.auth), reference=reference)


@router.patch(
    "/requests/{reference}/", response={200: RequestOut, **errors(400, 401, 403, 404)}, auth=BearerToken()
)
def update_request(request, reference: str, body: RequestPatch):
    """Support agents change the status or the urgency (with a reason)."""
    found = get_object_or_404(_visible(request.auth), reference=reference)
    if body.urgent is not None:
        desk.override_urgency(actor=request.auth, request_id=found.pk, urgent=body.urgent, reason=body.reason)
    if body.status is not None and body.status != found.status:
        desk.set_status(actor=request.auth, request_id=found.pk, status=body.status)
    return SupportRequest.objects.select_related("organisation").get(pk=found.pk)
