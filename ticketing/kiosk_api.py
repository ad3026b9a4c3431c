"""Kiosk orders at the counter (P5): a box-office station finds an order a customer placed at a kiosk to
"pay at the counter", and takes its payment, with the station's device token.

``POST /api/v1/pos/orders/{reference}/pay/`` is idempotent on the payment's ``uuid``: 201 the first time,
200 with the same tickets for a replay; 409 for an order already paid or expired, and for the same uuid
with other content (nothing changed); 404 for a reference that is no kiosk order of the organisation.
"""

from datetime import datetime
from decimal import Decimal
from typing import Literal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils import translation
from ninja import Field, Router, Schema
from pydantic import field_validator

from hub.api import Language, errors

from .pos_api import SaleOut, StationToken, sale_out
from .services import kiosks
from .services.counter import SaleMismatch

router = Router(tags=["box office"])


class LineOut(Schema):
    category: int
    category_name: str
    quantity: int
    price: Decimal


class KioskOrderOut(Schema):
    reference: str
    status: str
    event: int
    event_title: str
    starts_at: datetime
    venue: str
    buyer_name: str
    buyer_email: str
    lines: list[LineOut]
    total: Decimal
    currency: str
    expires_at: datetime = Field(..., description="its seats are held until then")


class RefusedOut(Schema):
    detail: str
    status: Literal["paid", "expired", "mismatch"]


class PaymentIn(Schema):
    uuid: UUID = Field(
        ..., description="the station's id of this payment, made on the device; a retry sends it"
    )
    method: Literal["cash", "card"]
    card_reference: str = Field(
        "", max_length=64, description="the card terminal's reference (card payments)"
    )
    cash_tendered: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    sold_at: datetime = Field(..., description="when the payment was taken, with its time zone")
    language: Language = "fr"

    @field_validator("sold_at")
    @classmethod
    def with_time_zone(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("give the time zone (e.g. 2026-12-01T20:15:00+01:00)")
        return value


def _order_out(order) -> dict:
    lines: dict[int, dict] = {}
    for ticket in order.tickets.all():
        line = lines.setdefault(
            ticket.category_id,
            {"category": ticket.category_id, "category_name": ticket.category.name, "quantity": 0},
        )
        line["quantity"] += 1
        line["price"] = ticket.price
    first = order.tickets.all()[0] if order.tickets.all() else None
    return {
        "reference": order.reference,
        "status": order.status,
        "event": order.event_id,
        "event_title": order.event.title,
        "starts_at": order.event.starts_at,
        "venue": order.event.venue,
        "buyer_name": first.last_name if first else "",
        "buyer_email": order.buyer_email,
        "lines": list(lines.values()),
        "total": order.total,
        "currency": order.currency,
        "expires_at": order.expires_at,
    }


def _refused(error: ValidationError) -> tuple[int, dict]:
    """409 for an order that cannot be paid any more (paid, expired), 400 for bad input."""
    code = getattr(error, "code", None)  # a ValidationError of a field has none
    if code in ("paid", "expired"):
        return 409, {"detail": error.messages[0], "status": code}
    return 400, {"detail": error.messages}


@router.get(
    "/{reference}/",
    response={200: KioskOrderOut, 409: RefusedOut, **errors(401, 404, 429)},
    auth=StationToken(),
    summary="A kiosk order waiting to be paid at the counter: event, lines, total, until when it is held",
)
def kiosk_order(request, reference: str, language: Language = "fr"):
    with translation.override(language):
        try:
            order = kiosks.counter_order(station=request.auth, reference=reference)
        except kiosks.KioskOrderNotFound:
            return 404, {"detail": "no kiosk order of your organisation has this reference"}
        except ValidationError as error:
            return _refused(error)
        return 200, _order_out(order)


@router.post(
    "/{reference}/pay/",
    response={200: SaleOut, 201: SaleOut, 409: RefusedOut, **errors(400, 401, 404, 429)},
    auth=StationToken(),
    summary="Take a kiosk order's payment at the counter (idempotent on its uuid): paid, tickets sent",
)
def pay_kiosk_order(request, reference: str, payload: PaymentIn):
    with translation.override(payload.language):
        try:
            outcome = kiosks.pay_kiosk_order(
                station=request.auth, reference=reference, content=payload.dict()
            )
        except kiosks.KioskOrderNotFound:
            return 404, {"detail": "no kiosk order of your organisation has this reference"}
        except ValidationError as error:
            return _refused(error)
    if isinstance(outcome, SaleMismatch):
        return 409, {"detail": str(outcome), "status": "mismatch"}
    return (200 if outcome.replay else 201), sale_out(outcome.sale)
