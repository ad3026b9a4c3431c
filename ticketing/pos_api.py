"""Box-office sync API (P1): a station sends each sale, sold online or offline, with its device token.

``POST /api/v1/pos/sales/`` is idempotent on the sale's ``uuid``: 201 the first time, 200 with the same
tickets for a replay; 409 for the same uuid with other content (nothing overwritten) and for a sale that no
longer fits the event (kept as a conflict for a manager, with its reason: nothing lost).
"""

from datetime import datetime
from decimal import Decimal
from typing import Literal
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import translation
from ninja import Field, Router, Schema
from pydantic import field_validator

from hub.api import Id, Language, errors

from . import qr, selectors
from .api import DeviceToken
from .models import CounterSale
from .services import allotments, counter

router = Router(tags=["box office"])


class StationToken(DeviceToken):
    """A box-office station's device token (created and revoked by a seller admin)."""

    bad_token_key = "pos-bad-token"

    def find(self, token):
        return counter.station_for_token(token)


class LineIn(Schema):
    category: Id
    quantity: int = Field(..., ge=1, le=1000)


class SaleIn(Schema):
    uuid: UUID = Field(
        ..., description="the station's id of this sale, made on the device; a retry sends it again"
    )
    event: Id
    sold_at: datetime = Field(
        ..., description="when it was sold, with its time zone (offline: the device's time)"
    )
    method: Literal[tuple(CounterSale.Method.values)]
    lines: list[LineIn] = Field(..., min_length=1, max_length=50)
    card_reference: str = Field(
        "", max_length=64, description="the card terminal's reference (card payments)"
    )
    reason: str = Field("", max_length=255, description="why the tickets are free (complimentary)")
    authorised_by: str = Field(
        "", max_length=500, description="complimentary: the manager's grant the POS got from a seller admin"
    )
    cash_tendered: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    tickets: list[str] = Field(
        [], max_length=50, description="secrets of the allotment's tickets this sale printed (sold offline)"
    )
    buyer_name: str = Field("", max_length=100)
    buyer_email: str = Field("", max_length=254)
    language: Language = "fr"

    @field_validator("sold_at")
    @classmethod
    def with_time_zone(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("give the time zone (e.g. 2026-12-01T20:15:00+01:00)")
        return value

    @field_validator("buyer_email")
    @classmethod
    def an_email(cls, value: str) -> str:
        if value.strip():
            try:
                validate_email(value.strip())
            except DjangoValidationError:
                raise ValueError("not an email address") from None
        return value.strip()


class SoldTicketOut(Schema):
    number: str
    secret: str
    category: int
    category_name: str
    price: Decimal


class SaleOut(Schema):
    uuid: UUID
    status: Literal[tuple(CounterSale.Status.values)]
    order: str | None
    tickets: list[SoldTicketOut]


class ConflictOut(Schema):
    detail: str
    uuid: UUID
    status: Literal["conflict", "mismatch"]
    reason: str = ""


def _ticket_out(ticket) -> dict:
    return {
        "number": ticket.number,
        "secret": ticket.secret,
        "category": ticket.category_id,
        "category_name": ticket.category.name,
        "price": ticket.price,
    }


def sale_out(sale: CounterSale) -> dict:
    tickets = sale.order.tickets.select_related("category").order_by("number") if sale.order_id else []
    return {
        "uuid": sale.client_uuid,
        "status": sale.status,
        "order": sale.order.reference if sale.order_id else None,
        "tickets": [_ticket_out(ticket) for ticket in tickets],
    }


def _answer(outcome, uuid: UUID) -> tuple[int, dict]:
    """The HTTP status and body of one sale's outcome (``counter.sync_sales``)."""
    if isinstance(outcome, DjangoValidationError):
        return 400, {"detail": outcome.messages, "uuid": uuid}
    if isinstance(outcome, counter.SaleMismatch):
        return 409, {"detail": str(outcome), "uuid": uuid, "status": "mismatch"}
    sale = outcome.sale
    if sale.status == CounterSale.Status.CONFLICT:
        return 409, {
            "detail": "kept as a conflict for a manager to settle",
            "uuid": sale.client_uuid,
            "status": "conflict",
            "reason": sale.reason,
        }
    return (200 if outcome.replay else 201), sale_out(sale)


@router.post(
    "/sales/",
    response={200: SaleOut, 201: SaleOut, 409: ConflictOut, **errors(400, 401, 429)},
    auth=StationToken(),
    summary="Sync one box-office sale (idempotent on its uuid)",
)
def sync_sale(request, payload: SaleIn):
    with translation.override(payload.language):  # the station's language: its cashier reads the reasons
        (outcome,) = counter.sync_sales(station=request.auth, contents=[payload.dict()])
        code, body = _answer(outcome, payload.uuid)
    if code == 400:
        return 400, {"detail": body["detail"]}
    return code, body


class BatchIn(Schema):
    sales: list[SaleIn] = Field(..., min_length=1, max_length=100)


class OutcomeOut(Schema):
    code: Literal[200, 201, 400, 409] = Field(..., description="what POST /sales/ would answer for this sale")
    uuid: UUID
    status: Literal[(*CounterSale.Status.values, "mismatch", "refused")]
    order: str | None = None
    tickets: list[SoldTicketOut] = []
    reason: str = ""
    detail: str | list[str] = ""


class BatchOut(Schema):
    results: list[OutcomeOut]


@router.post(
    "/sales/batch/",
    response={200: BatchOut, **errors(400, 401, 429)},
    auth=StationToken(),
    summary="Sync a station's queue: up to 100 sales in order, each with its own outcome",
)
def sync_batch(request, payload: BatchIn):
    contents = [sale.dict() for sale in payload.sales]
    with translation.override(payload.sales[0].language):
        outcomes = counter.sync_sales(station=request.auth, contents=contents)
        answers = [_answer(outcome, sale.uuid) for outcome, sale in zip(outcomes, payload.sales, strict=True)]
    return {
        "results": [{"code": code, **body, "status": body.get("status", "refused")} for code, body in answers]
    }


class AllotmentIn(Schema):
    event: Id
    category: Id
    quantity: int = Field(..., ge=1, le=allotments.MAX_ALLOTMENT)


class AllottedOut(Schema):
    tickets: list[SoldTicketOut]


class LeftOut(Schema):
    event: int
    category: int
    left: int


class ReleaseIn(Schema):
    event: Id


class ReleasedOut(Schema):
    released: int


@router.post(
    "/allotments/",
    response={201: AllottedOut, **errors(400, 401, 429)},
    auth=StationToken(),
    summary="Hold seats for this station to sell offline; their tickets (with secrets) are issued now",
)
def hold_allotment(request, payload: AllotmentIn):
    tickets = allotments.issue_allotment(
        station=request.auth, event_id=payload.event, category_id=payload.category, quantity=payload.quantity
    )
    return 201, {"tickets": [_ticket_out(ticket) for ticket in tickets]}


@router.get(
    "/allotments/",
    response={200: list[LeftOut], **errors(401, 429)},
    auth=StationToken(),
    summary="What this station still holds to sell offline",
)
def allotments_left(request):
    return selectors.allotment_left(request.auth)


@router.post(
    "/allotments/release/",
    response={200: ReleasedOut, **errors(400, 401, 429)},
    auth=StationToken(),
    summary="Put this station's unsold allotment for an event back on sale (the station closes)",
)
def release_allotment(request, payload: ReleaseIn):
    return {"released": allotments.release_allotment(station=request.auth, event_id=payload.event)}


# Named apart from the public API's CategoryOut and EventOut: OpenAPI components are keyed by class name.
class StationCategoryOut(Schema):
    id: int
    name: str
    price: Decimal
    left: int = Field(..., description="seats still on sale, online and at the counter")


class StationEventOut(Schema):
    id: int
    title: str
    starts_at: datetime
    venue: str
    categories: list[StationCategoryOut]


class StationOut(Schema):
    id: int
    name: str
    organisation: str
    currency: str
    allotment_target: int = Field(..., description="seats per category the station keeps to sell offline")
    events: list[StationEventOut]


@router.get(
    "/station/",
    response={200: StationOut, **errors(401, 429)},
    auth=StationToken(),
    summary="The station and what it sells: events on sale (the earliest first), categories, seats left",
)
def station(request, language: Language = "fr"):
    station = request.auth
    with translation.override(language):
        events = [
            {
                "id": event.pk,
                "title": event.title,
                "starts_at": event.starts_at,
                "venue": event.venue,
                "categories": [
                    {
                        "id": category.pk,
                        "name": category.name,
                        "price": category.price,
                        "left": left[category.pk],
                    }
                    for category in event.categories.all()
                ],
            }
            for event in selectors.station_events(station)
            for left in [selectors.availability(event)]
        ]
    return {
        "id": station.pk,
        "name": station.name,
        "organisation": station.organisation.name,
        "currency": station.organisation.currency,
        "allotment_target": settings.POS_ALLOTMENT_PER_CATEGORY,
        "events": events,
    }


class QrOut(Schema):
    size: int
    bits: str = Field(..., description="the dark modules row by row, hexadecimal, 1 = dark, no quiet zone")


class HeldTicketOut(SoldTicketOut):
    event: int
    url: str
    qr: QrOut


@router.get(
    "/allotments/tickets/",
    response={200: list[HeldTicketOut], **errors(401, 429)},
    auth=StationToken(),
    summary="The unsold tickets this station holds, with their QR codes, to print offline",
)
def allotment_tickets(request, language: Language = "fr"):
    with translation.override(language):
        return [
            {**_ticket_out(ticket), "event": ticket.event_id, "url": url, "qr": qr.modules(url)}
            for ticket in selectors.allotment_tickets(request.auth)
            for url in [qr.ticket_url(ticket)]
        ]
