"""Ticketing API: published events for everyone; orders and tickets of one's own organisations (token)."""

import json
from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.conf import settings
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import NinjaJSONEncoder
from ninja.security import HttpBearer

from hub import ratelimit
from hub.api import MAX_ID, BearerToken, Id, Language, Pages, TooManyRequests, errors
from hub.models import Role
from hub.permissions import is_operator

from . import selectors
from .models import Event, Order, Organisation, Scan, Ticket
from .services import scanning

router = Router(tags=["ticketing"])
OrderStatus = Literal[tuple(Order.Status.values)]
TicketStatus = Literal[tuple(s for s in Ticket.Status.values if s != Ticket.Status.RESERVED)]


class CategoryOut(Schema):
    id: int
    name: str
    price: Decimal
    vat_rate: Decimal
    available: int


class EventOut(Schema):
    id: int
    organisation: str
    organisation_name: str
    title: str
    description: str
    venue: str
    venue_address: str
    time_zone: str
    starts_at: datetime
    ends_at: datetime
    sales_start: datetime
    sales_end: datetime
    status: str
    on_sale: bool
    url: str
    currency: str  # of the categories' prices (the organisation's)
    categories: list[CategoryOut]


class TicketOut(Schema):
    number: str
    event_id: int
    category: str = Field(..., alias="category.name")
    first_name: str
    last_name: str
    price: Decimal
    status: str
    order_reference: str = Field(..., alias="order.reference")


class OrderOut(Schema):
    reference: str
    event_id: int
    buyer_email: str
    status: str
    total: Decimal
    currency: str
    commission_excl_vat: Decimal
    commission_vat: Decimal
    refunded_amount: Decimal
    created_at: datetime
    paid_at: datetime | None


class OrderDetailOut(OrderOut):
    tickets: list[TicketOut]

    @staticmethod
    def resolve_tickets(order):
        return list(order.tickets.all())


def _event_out(event: Event, language: str) -> dict:
    available = selectors.availability(event)
    with translation.override(language):
        return {
            "id": event.pk,
            "organisation": event.organisation.slug,
            "organisation_name": event.organisation.name,
            "title": event.title,
            "description": event.description,
            "venue": event.venue,
            "venue_address": event.venue_address,
            "time_zone": event.time_zone,
            "starts_at": event.starts_at,
            "ends_at": event.ends_at,
            "sales_start": event.sales_start,
            "sales_end": event.sales_end,
            "status": event.status,
            "on_sale": event.on_sale(),
            "url": settings.SITE_URL + reverse("ticketing:event", args=[event.organisation.slug, event.slug]),
            "currency": event.organisation.currency,
            "categories": [
                {
                    "id": c.pk,
                    "name": c.name,
                    "price": c.price,
                    "vat_rate": c.vat_rate,
                    "available": available[c.pk],
                }
                for c in event.categories.all()
            ],
        }


@router.get(
    "/events/", response={200: list[EventOut], **errors(400)}, auth=None, summary="Published upcoming events"
)
@paginate(Pages, page_size=20)
def list_events(request, organisation: str | None = None, lang: Language = "fr"):
    events = selectors.public_events()
    if organisation:
        events = events.filter(organisation__slug=organisation)
    return [_event_out(event, lang) for event in events]


@router.get(
    "/events/{event_id}/",
    response={200: EventOut, **errors(400, 404)},
    auth=None,
    summary="One published event",
)
def get_event(request, event_id: Id, lang: Language = "fr"):
    event = get_object_or_404(selectors.public_events(upcoming=False), pk=event_id)
    return _event_out(event, lang)


def _own_organisations(user):
    if is_operator(user):
        return Organisation.objects.all()
    return selectors.organisations_of(user, Role.SELLER_ADMIN)


def _own_orders(user):
    return Order.objects.select_related("event").filter(organisation__in=_own_organisations(user))


@router.get(
    "/orders/",
    response={200: list[OrderOut], **errors(400, 401)},
    auth=BearerToken(),
    summary="Orders of your organisations",
)
@paginate(Pages, page_size=50)
def list_orders(
    request,
    event_id: int | None = Query(None, ge=1, le=MAX_ID),
    status: OrderStatus | None = None,
    q: str | None = None,
):
    found = _own_orders(request.auth)
    if event_id:
        found = found.filter(event_id=event_id)
    if status:
        found = found.filter(status=status)
    if q:
        found = found.filter(Q(reference__iexact=q) | Q(buyer_email__icontains=q))
    return found.order_by("-created_at")


@router.get(
    "/orders/{reference}/",
    response={200: OrderDetailOut, **errors(401, 404)},
    auth=BearerToken(),
    summary="One order, with tickets",
)
def get_order(request, reference: str):
    return get_object_or_404(
        _own_orders(request.auth).prefetch_related("tickets__category"), reference=reference
    )


@router.get(
    "/tickets/",
    response={200: list[TicketOut], **errors(400, 401, 404)},
    auth=BearerToken(),
    summary="Tickets of one of your events",
)
@paginate(Pages, page_size=200)
def list_tickets(request, event_id: Id, status: TicketStatus | None = None):
    event = get_object_or_404(Event, pk=event_id, organisation__in=_own_organisations(request.auth))
    tickets = (
        Ticket.objects.filter(event=event).select_related("category", "order").exclude(status="reserved")
    )
    if status:
        tickets = tickets.filter(status=status)
    return tickets.order_by("number")


class DeviceToken(HttpBearer):
    """A scanner app's token (created and revoked by a seller admin): it can only scan. Bad tokens are
    counted per address; past ``BAD_TOKENS_PER_MINUTE`` the address is refused for a minute."""

    bad_token_key = "scan-bad-token"

    def find(self, token):
        return scanning.device_for_token(token)

    def authenticate(self, request, token):
        device = self.find(token)
        if device is None:
            ip = ratelimit.client_ip(request)
            if not ratelimit.hit(self.bad_token_key, ip, limit=BAD_TOKENS_PER_MINUTE, window=60):
                raise TooManyRequests("too many bad tokens from your address; wait a minute")
        return device


BAD_TOKENS_PER_MINUTE = 20


class ScanIn(Schema):
    secret: str = Field(..., min_length=1, max_length=512, description="what the scanner read: URL or secret")
    direction: Literal["entry", "exit"] = "entry"
    nonce: str | None = Field(
        None, max_length=64, description="the client's id of this attempt; a retry sends it again"
    )
    gate: str = Field("", max_length=64)


class ScanTicketOut(Schema):
    number: str
    first_name: str
    last_name: str
    category: str
    event_id: int
    event: str


class ScanOut(Schema):
    result: Literal[tuple(r for r in Scan.Result.values if r != Scan.Result.CHANGED)]
    ticket: ScanTicketOut | None
    first_scan_at: datetime | None
    first_gate: str = ""


def scan_answer(outcome) -> dict:
    """The scanner's answer, as ``ScanOut`` has it."""
    ticket = outcome.ticket
    return {
        "result": outcome.result,
        "ticket": {
            "number": ticket.number,
            "first_name": ticket.first_name,
            "last_name": ticket.last_name,
            "category": ticket.category.name,
            "event_id": ticket.event_id,
            "event": ticket.event.title,
        }
        if ticket
        else None,
        "first_scan_at": outcome.first_scan_at,
        "first_gate": outcome.first_gate,
    }


def scan_response(outcome) -> HttpResponse:
    """The answer rendered as django-ninja renders ``ScanOut`` (same JSON, byte for byte), without checking it
    against the schema on every scan: ``scan_answer`` builds exactly its fields."""
    return HttpResponse(json.dumps(scan_answer(outcome), cls=NinjaJSONEncoder), content_type=JSON)


JSON = "application/json; charset=utf-8"


@router.post(
    "/checkin/scan/",
    response={200: ScanOut, **errors(400, 401, 429)},
    auth=DeviceToken(),
    summary="Scan a ticket",
)
def scan(request, payload: ScanIn):
    """The door's hot path: a lean request (``settings.LEAN_PATHS``), the token remembered by the worker, one
    SQL statement, the answer rendered at once."""
    device = request.auth
    outcome = scanning.redeem(
        code=scanning.extract_code(payload.secret),
        direction=payload.direction,
        organisation_id=device.organisation_id,
        gate=payload.gate,
        device=device,
        nonce=payload.nonce,
    )
    if outcome.result == Scan.Result.UNKNOWN:
        try:
            scanning.note_unknown(f"device:{device.pk}")
        except scanning.TooManyUnknownCodes:
            raise TooManyRequests("too many unknown codes; wait a minute") from None
    return scan_response(outcome)
