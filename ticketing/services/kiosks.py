"""Kiosk mode (P5): stations customers use themselves, and the kiosk orders a box-office station completes.

A seller admin creates a kiosk (a ``Station`` of kind *kiosk*) and issues it a one-time pairing code
(8 readable characters, valid ``KIOSK_PAIRING_HOURS``; only its HMAC is kept, and a new code replaces the
previous one). The device that types the code gets the kiosk's device token, which it keeps in a signed,
HttpOnly cookie; the code then stops working, and a device paired before stops too. Revoking ends the kiosk.

A kiosk sells its own organisation's events through the checkout's service (``place_order``: the same
inventory under the same lock), as orders of channel *kiosk* that name it: paid by card on the payment
provider's hosted page, or held ``KIOSK_HOLD_MINUTES`` to be paid at the counter. A box-office station of
the same organisation completes such an order (``pay_kiosk_order``): idempotent on the station's id for the
payment (its ``uuid``), with the order row locked, so two stations paying at once pay it once. The payment
is a counter sale of the station, in its cash session and Z report by method, and the tickets are emailed
as for an online order.
"""

import json
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from hub import tokens
from hub.audit import log_action

from .. import selectors
from ..audit import Action
from ..models import CounterSale, Event, Order, Organisation, Station
from ..permissions import require_manager
from .counter import CLOCK_SKEW, SaleMismatch, Synced, digest, live_station
from .orders import CheckoutError, Seat, confirm_paid, place_order

KIOSK_PREFIX = "gki_"
CODE_LENGTH = 8
KIOSK = Station.Kind.KIOSK


class KioskOrderNotFound(Exception):
    """No kiosk order of the station's organisation has this reference."""


def normalise_code(code: str) -> str:
    """A pairing code as typed (any case, spaces or a dash inside) in its stored form."""
    return "".join(character for character in code.upper() if character.isalnum())


def _code_digest(code: str) -> str:
    return salted_hmac("ticketing.kiosk-pairing", normalise_code(code)).hexdigest()


def format_code(code: str) -> str:
    """A pairing code as shown, in two groups of four: ``ABCD-EFGH``."""
    return f"{code[:4]}-{code[4:]}"


# --- kiosks and their pairing ---------------------------------------------------------------------------


@transaction.atomic
def create_kiosk(*, actor, organisation: Organisation, name: str) -> Station:
    """A kiosk for ``organisation``; no device uses it until one is paired with a code."""
    require_manager(actor, organisation)
    if not name.strip():
        raise ValidationError({"name": _("Give the kiosk a name.")})
    kiosk = Station.objects.create(
        organisation=organisation,
        name=name.strip(),
        kind=KIOSK,
        token_digest=tokens.digest(tokens.new_raw(KIOSK_PREFIX)),  # nobody holds it: not paired yet
        created_by=actor,
    )
    log_action(actor, Action.KIOSK_CREATED, organisation, {"name": kiosk.name})
    return kiosk


@transaction.atomic
def issue_pairing_code(*, actor, kiosk: Station) -> str:
    """A new one-time pairing code for ``kiosk`` (shown once); the previous one stops working."""
    require_manager(actor, kiosk.organisation)
    kiosk = Station.objects.select_for_update().get(pk=kiosk.pk, kind=KIOSK)
    if kiosk.revoked_at is not None:
        raise ValidationError(_("This kiosk was revoked."))
    code = tokens.readable_code(CODE_LENGTH)
    kiosk.pairing_digest = _code_digest(code)
    kiosk.pairing_expires_at = timezone.now() + timedelta(hours=settings.KIOSK_PAIRING_HOURS)
    kiosk.save(update_fields=["pairing_digest", "pairing_expires_at"])
    log_action(
        actor,
        Action.KIOSK_CODE_ISSUED,
        kiosk.organisation,
        {"name": kiosk.name, "expires_at": kiosk.pairing_expires_at.isoformat()},
    )
    return code


@transaction.atomic
def pair_kiosk(*, code: str, ip: str | None = None) -> tuple[Station, str]:
    """Pair this device with the kiosk whose live pairing code is ``code``: the kiosk's new device token
    (for the device's cookie); the code is used up, and a device paired before is no longer the kiosk."""
    now = timezone.now()
    kiosk = None
    if len(normalise_code(code)) == CODE_LENGTH:
        kiosk = (
            Station.objects.select_for_update()
            .select_related("organisation")
            .filter(
                kind=KIOSK,
                revoked_at__isnull=True,
                pairing_digest=_code_digest(code),
                pairing_expires_at__gt=now,
            )
            .first()
        )
    if kiosk is None:
        raise ValidationError(
            {"code": _("This code is not valid or has expired: a seller admin gives a new one.")}
        )
    raw = tokens.new_raw(KIOSK_PREFIX)
    kiosk.token_digest, kiosk.prefix, kiosk.paired_at = tokens.digest(raw), raw[:10], now
    kiosk.pairing_digest, kiosk.pairing_expires_at = "", None
    kiosk.save(update_fields=["token_digest", "prefix", "paired_at", "pairing_digest", "pairing_expires_at"])
    log_action(f"kiosk:{kiosk.prefix}", Action.KIOSK_PAIRED, kiosk.organisation, {"name": kiosk.name}, ip=ip)
    return kiosk, raw


@transaction.atomic
def revoke_kiosk(*, actor, kiosk: Station) -> None:
    """The kiosk stops at once: its device is sent back to the pairing page, its code no longer works."""
    require_manager(actor, kiosk.organisation)
    if kiosk.revoked_at is None:
        Station.objects.filter(pk=kiosk.pk).update(
            revoked_at=timezone.now(), pairing_digest="", pairing_expires_at=None
        )
        log_action(actor, Action.KIOSK_REVOKED, kiosk.organisation, {"name": kiosk.name})


def kiosk_for_token(raw: str) -> Station | None:
    """The live kiosk behind a device token, or None (unknown, revoked, not a kiosk's token)."""
    return live_station(raw, prefix=KIOSK_PREFIX, kind=KIOSK)


# --- selling at a kiosk ---------------------------------------------------------------------------------


def place_kiosk_order(
    *,
    kiosk: Station,
    event_id: int,
    quantities: dict[int, int],
    buyer_email: str,
    buyer_name: str,
    language: str,
    at_counter: bool,
) -> Order:
    """The kiosk's order of ``quantities`` (seats per category id) for one of its organisation's events,
    placed as online (``CheckoutError`` when it does not fit); held ``KIOSK_HOLD_MINUTES`` when it is to be
    paid ``at_counter``, else as long as an online order."""
    with transaction.atomic():
        if not Event.objects.filter(pk=event_id, organisation=kiosk.organisation_id).exists():
            raise CheckoutError(_("This event is not sold at this kiosk."))
        seats = [
            Seat(category_id, "", buyer_name)
            for category_id, count in sorted(quantities.items())
            for _seat in range(count)
        ]
        order = place_order(
            event_id=event_id,
            buyer_email=buyer_email,
            language=language,
            seats=seats,
            channel=Order.Channel.KIOSK,
            station=kiosk,
            hold_minutes=settings.KIOSK_HOLD_MINUTES if at_counter else None,
        )
        log_action(
            f"kiosk:{kiosk.prefix}",
            Action.KIOSK_ORDER_PLACED,
            order,
            {"kiosk": kiosk.name, "payment": "counter" if at_counter else "card"},
        )
    return order


@transaction.atomic
def hold_at_counter(*, kiosk: Station, order: Order) -> Order:
    """The customer pays ``order`` at the counter after all (a card payment not made): its seats are held
    ``KIOSK_HOLD_MINUTES`` from now."""
    order = Order.objects.select_for_update().get(pk=order.pk, station=kiosk)
    now = timezone.now()
    if order.status != Order.Status.PENDING or order.expires_at <= now:
        raise ValidationError(_("This order is no longer waiting for payment: please start again."))
    order.expires_at = max(order.expires_at, now + timedelta(minutes=settings.KIOSK_HOLD_MINUTES))
    order.save(update_fields=["expires_at"])
    log_action(
        f"kiosk:{kiosk.prefix}", Action.KIOSK_ORDER_HELD, order, {"expires_at": order.expires_at.isoformat()}
    )
    return order


# --- at the counter -------------------------------------------------------------------------------------


def _find(station: Station, reference: str) -> Order:
    order = selectors.order_by_reference(station.organisation_id, reference)
    if order is None or order.channel != Order.Channel.KIOSK:
        raise KioskOrderNotFound(reference)
    return order


def _check_payable(order: Order, now) -> None:
    if order.status == Order.Status.PAID:
        raise ValidationError(_("This order is already paid."), code="paid")
    if order.status != Order.Status.PENDING or order.expires_at <= now:
        raise ValidationError(
            _("This order has expired: its seats went back on sale. The customer orders again."),
            code="expired",
        )


def counter_order(*, station: Station, reference: str) -> Order:
    """The organisation's kiosk order ``reference``, as a box-office station finds it to take its payment:
    ``KioskOrderNotFound``, or ``ValidationError`` (code ``paid`` or ``expired``) when it cannot be paid."""
    order = _find(station, reference)
    _check_payable(order, timezone.now())
    return order


def pay_kiosk_order(*, station: Station, reference: str, content: dict) -> Synced | SaleMismatch:
    """A box-office station takes the payment of kiosk order ``reference``: ``content`` (checked by the
    API's schema: uuid, method cash or card, card_reference, cash_tendered, sold_at) is recorded as the
    station's counter sale of the order, which is paid (tickets valid and emailed). Idempotent on the
    uuid: a replay returns the same sale, the same uuid with other content is a ``SaleMismatch``."""
    for attempt in range(2):
        try:
            with transaction.atomic():
                return _pay(station, reference, content)
        except IntegrityError:  # this uuid recorded at this very moment by another request: see it now
            if attempt:
                raise
    raise AssertionError("unreachable")


def _pay(station: Station, reference: str, content: dict) -> Synced | SaleMismatch:
    order = _find(station, reference)
    order = Order.objects.select_for_update().select_related("event").get(pk=order.pk)
    content = {**content, "uuid": uuid.UUID(str(content["uuid"])), "order": order.reference}
    known = CounterSale.objects.select_related("station").filter(client_uuid=content["uuid"]).first()
    if known is not None:  # looked up under the order's lock: a payment of it made meanwhile is seen
        if known.station.organisation_id != station.organisation_id or known.content_digest != digest(
            content
        ):
            return SaleMismatch(_("This payment id was already used with other content."))
        return Synced(known, replay=True)
    now = timezone.now()
    _check_payable(order, now)
    if content["method"] not in (CounterSale.Method.CASH, CounterSale.Method.CARD):
        raise ValidationError({"method": _("A kiosk order is paid in cash or by card.")})
    if content["method"] == CounterSale.Method.CARD and not content.get("card_reference", "").strip():
        raise ValidationError({"card_reference": _("Give the card terminal's reference of the payment.")})
    if content["sold_at"] > now + CLOCK_SKEW:
        raise ValidationError({"sold_at": _("The sale time is in the future: check the station's clock.")})
    confirm_paid(order, now)
    sale = CounterSale.objects.create(
        station=station,
        event=order.event,
        client_uuid=content["uuid"],
        content_digest=digest(content),
        content=json.loads(json.dumps(content, default=str)),
        order=order,
        method=content["method"],
        sold_at=content["sold_at"],
        received_at=now,
        status=CounterSale.Status.SYNCED,
    )
    log_action(
        f"station:{station.prefix}",
        Action.KIOSK_ORDER_PAID,
        order,
        {"station": station.name, "sale": str(sale.client_uuid), "method": sale.method},
    )
    return Synced(sale, replay=False)
