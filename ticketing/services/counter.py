"""The box office (P1): stations and their device tokens, and the sales a station syncs, online or after
selling offline.

A station sends each sale once it can, with its own id for it (a UUID made on the device) and the time it
was sold. The sync is idempotent on that id: a replay returns the same tickets, the same id with other
content is refused and changes nothing. The event row is locked while a sale is checked and written, as at
checkout, so counter and online sales share one inventory and never oversell; a sale that no longer fits
when it arrives is never lost: it is kept as a conflict for a manager to settle (accept it over capacity,
or record that the money was given back).
"""

import hashlib
import json
import secrets
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hub import tokens
from hub.audit import log_action
from hub.models import Role

from .. import selectors
from ..audit import Action
from ..commission import Schedule, quote
from ..models import CounterSale, Event, Order, Organisation, Station, Ticket
from ..permissions import can_manage, require_manager, require_member
from .orders import announce_paid, check_ticket_count, new_reference

STATION_PREFIX = "gps_"
GRANT_SALT = "ticketing.counter.complimentary"
GRANT_MAX_AGE = timedelta(days=7)  # a grant a POS got this long ago still covers the sales it made offline
CLOCK_SKEW = timedelta(minutes=5)  # a station's clock may be this far ahead of the server's


class SaleMismatch(Exception):
    """A sale id already synced with other content: nothing is overwritten."""


@dataclass(frozen=True)
class Synced:
    sale: CounterSale
    replay: bool  # True when this id had been synced before: nothing changed


def digest(content: dict) -> str:
    """The digest of a sale as sent: the same content gives the same digest whatever the key order."""
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


# --- stations -----------------------------------------------------------------------------------------


@transaction.atomic
def create_station(*, actor, organisation: Organisation, name: str) -> tuple[Station, str]:
    """A box-office station for ``organisation``; its raw device token is shown once."""
    require_manager(actor, organisation)
    if not name.strip():
        raise ValidationError({"name": _("Give the station a name.")})
    raw = tokens.new_raw(STATION_PREFIX)
    station = Station.objects.create(
        organisation=organisation,
        name=name.strip(),
        token_digest=tokens.digest(raw),
        prefix=raw[:10],
        created_by=actor,
    )
    log_action(actor, Action.STATION_CREATED, organisation, {"name": station.name, "prefix": station.prefix})
    return station, raw


@transaction.atomic
def revoke_station(*, actor, station: Station) -> None:
    require_manager(actor, station.organisation)
    if station.revoked_at is None:
        station.revoked_at = timezone.now()
        station.save(update_fields=["revoked_at"])
        log_action(
            actor,
            Action.STATION_REVOKED,
            station.organisation,
            {"name": station.name, "prefix": station.prefix},
        )


@transaction.atomic
def pair_station(*, actor, station: Station) -> str:
    """Pair a device with ``station``: a new device token (shown once, kept by the device) replaces the
    previous one, so a device paired before stops syncing until the station is picked there again."""
    require_member(actor, station.organisation, Role.BOX_OFFICE, Role.SELLER_ADMIN)
    station = Station.objects.select_for_update().get(pk=station.pk)
    if station.revoked_at is not None:
        raise ValidationError(_("This station was revoked."))
    raw = tokens.new_raw(STATION_PREFIX)
    station.token_digest, station.prefix = tokens.digest(raw), raw[:10]
    station.save(update_fields=["token_digest", "prefix"])
    log_action(
        actor, Action.STATION_PAIRED, station.organisation, {"name": station.name, "prefix": station.prefix}
    )
    return raw


def complimentary_grant(*, actor, station: Station) -> str:
    """A manager's authorisation, signed, for ``station`` to give complimentary tickets: the POS gets it while
    a seller admin is signed in and sends it with each complimentary sale, offline ones included."""
    require_manager(actor, station.organisation)
    return signing.dumps({"station": station.pk, "user": actor.pk}, salt=GRANT_SALT)


def _check_grant(station: Station, grant: str) -> None:
    """ValidationError unless ``grant`` is a seller admin's, still in office, for this station."""
    refused = ValidationError(
        {"authorised_by": _("Complimentary tickets need a manager: a seller admin signs in on this POS.")}
    )
    try:
        granted = signing.loads(grant, salt=GRANT_SALT, max_age=GRANT_MAX_AGE)
    except signing.BadSignature:
        raise refused from None
    manager = get_user_model().objects.filter(pk=granted.get("user"), is_active=True).first()
    if granted.get("station") != station.pk or not (manager and can_manage(manager, station.organisation)):
        raise refused


def live_station(raw: str, *, prefix: str, kind: str) -> Station | None:
    """The live station of ``kind`` behind a device token, or None (unknown, revoked, another kind's, or
    not a token with ``prefix``): counter stations and kiosks are found the same way."""
    if not raw.startswith(prefix):
        return None
    return (
        Station.objects.select_related("organisation")
        .filter(token_digest=tokens.digest(raw), revoked_at__isnull=True, kind=kind)
        .first()
    )


def station_for_token(raw: str) -> Station | None:
    """The live counter station behind a device token, or None."""
    return live_station(raw, prefix=STATION_PREFIX, kind=Station.Kind.COUNTER)


# --- sales --------------------------------------------------------------------------------------------


def sync_sales(*, station: Station, contents: list[dict]) -> list[Synced | SaleMismatch | ValidationError]:
    """Record a station's sales ``contents`` (checked by the API's schema: uuid, event, sold_at, method,
    lines …), in order, each with its own outcome: a paid counter order with its tickets when it fits, else
    a conflict; idempotent on the uuid; ValidationError for bad input, SaleMismatch for a uuid synced with
    other content (an error changes nothing for its sale only). One transaction and one lock per event for
    the whole batch: a station back online syncs hundreds of sales a second."""
    for attempt in range(2):
        try:
            with transaction.atomic():
                results = _sync_all(station, contents)
            break
        except IntegrityError:  # a uuid of the batch synced at this very moment by another request: again
            if attempt:
                raise
    if station.last_sync_at is None or timezone.now() - station.last_sync_at > timedelta(seconds=10):
        Station.objects.filter(pk=station.pk).update(last_sync_at=timezone.now())
    return results


def _sync_all(station: Station, contents: list[dict]) -> list:
    for content in contents:
        content["uuid"] = uuid.UUID(str(content["uuid"]))
    known = {
        sale.client_uuid: sale
        for sale in CounterSale.objects.filter(client_uuid__in=[c["uuid"] for c in contents]).select_related(
            "station"
        )
    }
    events = {  # locked in id order, as checkout locks them: counter and online sales never oversell
        event.pk: event
        for event in Event.objects.select_for_update()
        .select_related("organisation")
        .filter(pk__in={c["event"] for c in contents}, organisation=station.organisation_id)
        .order_by("pk")
    }
    categories = {pk: event_categories(event) for pk, event in events.items()}
    now = timezone.now()
    taken: dict[int, Counter] = {}
    results = []
    for content in contents:
        if content["uuid"] in known:
            results.append(_replay(station, known[content["uuid"]], content))
            continue
        try:
            event, lines, allotted = _checked(station, content, events, categories, now)
        except ValidationError as error:
            results.append(error)
            continue
        if event.pk not in taken:
            taken[event.pk] = selectors.seats_taken(event, now)
        sale = _record(station, event, categories[event.pk], taken[event.pk], lines, allotted, content, now)
        known[sale.client_uuid] = sale
        results.append(Synced(sale, replay=False))
    return results


def _replay(station: Station, sale: CounterSale, content: dict) -> Synced | SaleMismatch:
    if sale.station.organisation_id != station.organisation_id or sale.content_digest != digest(content):
        return SaleMismatch(_("This sale id was already synced with other content."))
    return Synced(sale, replay=True)


def _lines(content: dict) -> Counter:
    """The seats a sale asks for, per category id."""
    lines: Counter = Counter()
    for line in content["lines"]:
        lines[line["category"]] += line["quantity"]
    return lines


def event_categories(event: Event) -> dict:
    """The event's ticket categories by id."""
    return {category.pk: category for category in event.categories.all()}


def _checked(station: Station, content: dict, events: dict, categories: dict, now) -> tuple:
    """The event, the seats per category id and the allotted tickets of a sale, or ValidationError (bad
    input: nothing written)."""
    event = events.get(content["event"])
    if event is None:
        raise ValidationError({"event": _("This event does not exist.")})
    if any(line["quantity"] < 1 for line in content["lines"]):
        raise ValidationError({"lines": _("A quantity is at least 1.")})
    lines = _lines(content)
    if not lines:
        raise ValidationError({"lines": _("Choose at least one ticket.")})
    check_ticket_count(sum(lines.values()))
    if not set(lines) <= set(categories[event.pk]):
        raise ValidationError({"lines": _("This ticket category does not exist.")})
    if content["sold_at"] > now + CLOCK_SKEW:
        raise ValidationError({"sold_at": _("The sale time is in the future: check the station's clock.")})
    method = content["method"]
    if method == CounterSale.Method.CARD and not content.get("card_reference", "").strip():
        raise ValidationError({"card_reference": _("Give the card terminal's reference of the payment.")})
    if method == CounterSale.Method.COMPLIMENTARY:
        if not content.get("reason", "").strip():
            raise ValidationError({"reason": _("Say why the tickets are complimentary.")})
        _check_grant(station, content.get("authorised_by") or "")
    return event, lines, _allotted(station, event, lines, content.get("tickets") or [])


def _allotted(station: Station, event: Event, lines: Counter, secrets_sold: list[str]) -> list[Ticket]:
    """The tickets of the station's allotment an offline sale printed (by their secrets), checked against
    its lines; none for a sale made online."""
    if not secrets_sold:
        return []
    tickets = list(
        Ticket.objects.filter(
            secret__in=secrets_sold,
            order__allotment__station=station,
            order__allotment__event=event,
            status__in=[Ticket.Status.RESERVED, Ticket.Status.VOID],
        )
    )
    if len(tickets) != len(set(secrets_sold)) or len(secrets_sold) != len(set(secrets_sold)):
        raise ValidationError(
            {"tickets": _("These tickets are not unsold tickets of this station's allotment.")}
        )
    if Counter(ticket.category_id for ticket in tickets) != lines:
        raise ValidationError({"tickets": _("The tickets do not match the categories and quantities sold.")})
    return tickets


def _record(
    station: Station,
    event: Event,
    categories: dict,
    taken: Counter,
    lines: Counter,
    allotted: list[Ticket],
    content: dict,
    now,
) -> CounterSale:
    """The sale's row, with its order when it fits (``taken`` counts it then), else as a conflict. Seats of
    the station's allotment are already taken: only the others (a released allotment's) need room."""
    held = Counter(ticket.category_id for ticket in allotted if ticket.status == Ticket.Status.RESERVED)
    needed = lines - held
    reason = why_it_does_not_fit(event, categories, taken, needed)
    sale = CounterSale(
        station=station,
        event=event,
        client_uuid=content["uuid"],
        content_digest=digest(content),
        content=json.loads(json.dumps(content, default=str)),
        method=content["method"],
        sold_at=content["sold_at"],
        received_at=now,
        status=CounterSale.Status.CONFLICT if reason else CounterSale.Status.SYNCED,
        reason=reason,
    )
    if not reason:
        sale.order = _counter_order(event, categories, lines, content, allotted)
        taken.update(needed)
    sale.save()
    if reason:
        log_action(
            f"station:{station.prefix}",
            Action.COUNTER_SALE_CONFLICT,
            event,
            {"sale": str(sale.client_uuid), "reason": reason},
        )
    return sale


def why_it_does_not_fit(event: Event, categories: dict, taken: Counter, lines: Counter) -> str:
    """Why these seats cannot be sold with ``taken`` already taken (an empty string when they can)."""
    if event.status != Event.Status.PUBLISHED:
        return _("The event is not on sale any more (%(status)s).") % {"status": event.get_status_display()}
    for category_id, count in lines.items():
        left = categories[category_id].quota - taken[category_id]
        if count > left:
            return _("Only %(left)s seats left in “%(category)s”.") % {
                "left": max(left, 0),
                "category": categories[category_id].name,
            }
    if sum(taken.values()) + sum(lines.values()) > event.capacity:
        return _("This event is sold out.")
    return ""


def _counter_order(
    event: Event, categories: dict, lines: Counter, content: dict, allotted: list[Ticket] = ()
) -> Order:
    """A box-office order paid at the sale's own time, its tickets valid with the online commission rules:
    the ``allotted`` tickets an offline sale printed (their QR codes stay valid), or new ones."""
    complimentary = content["method"] == CounterSale.Method.COMPLIMENTARY
    schedule = Schedule.of(event.organisation)
    prices = {pk: Decimal("0.00") if complimentary else category.price for pk, category in categories.items()}
    commissions = {pk: quote(prices[pk], schedule) for pk in lines}
    seats = [pk for pk, count in sorted(lines.items()) for _ in range(count)]
    sold_at = content["sold_at"]
    order = Order.objects.create(
        organisation_id=event.organisation_id,
        event=event,
        reference=new_reference(),
        buyer_email=content.get("buyer_email", "").strip(),
        language=content.get("language", "fr"),
        status=Order.Status.PAID,
        channel=Order.Channel.COUNTER,
        total=sum((prices[pk] for pk in seats), Decimal("0.00")),
        commission_excl_vat=sum((commissions[pk].commission_excl_vat for pk in seats), Decimal("0.00")),
        commission_vat=sum((commissions[pk].commission_vat for pk in seats), Decimal("0.00")),
        currency=event.organisation.currency,
        created_at=sold_at,
        expires_at=sold_at,
        paid_at=sold_at,
    )
    tickets = sorted(allotted, key=lambda ticket: (ticket.category_id, ticket.number)) or [
        Ticket(
            order=order,
            event=event,
            category=categories[pk],
            number=f"{order.reference}-{index}",
            secret=secrets.token_urlsafe(24),
        )
        for index, pk in enumerate(seats, start=1)
    ]
    for ticket in tickets:
        ticket.order = order
        ticket.last_name = content.get("buyer_name", "").strip()
        ticket.price = prices[ticket.category_id]
        ticket.vat_rate = categories[ticket.category_id].vat_rate
        ticket.commission_excl_vat = commissions[ticket.category_id].commission_excl_vat
        ticket.commission_vat = commissions[ticket.category_id].commission_vat
        ticket.status = Ticket.Status.VALID
    if allotted:
        fields = [
            "order",
            "last_name",
            "price",
            "vat_rate",
            "commission_excl_vat",
            "commission_vat",
            "status",
        ]
        Ticket.objects.bulk_update(tickets, fields)
    else:
        Ticket.objects.bulk_create(tickets)
    announce_paid(order, len(seats), send_tickets=bool(order.buyer_email))
    return order


@transaction.atomic
def settle_conflict(*, actor, sale: CounterSale, accept: bool, note: str = "") -> CounterSale:
    """A manager settles a sale kept as a conflict: ``accept`` issues its tickets over capacity, otherwise
    the money was given back at the counter."""
    sale = CounterSale.objects.select_for_update().select_related("event", "station").get(pk=sale.pk)
    require_manager(actor, sale.event.organisation)
    if sale.status != CounterSale.Status.CONFLICT:
        raise ValidationError(_("This sale is not waiting to be settled."))
    if accept:  # the tickets it printed offline (a released allotment's) keep their QR codes
        content = dict(sale.content, sold_at=sale.sold_at)
        event = Event.objects.select_for_update().select_related("organisation").get(pk=sale.event_id)
        lines = _lines(content)
        printed = _allotted(sale.station, event, lines, content.get("tickets") or [])
        sale.order = _counter_order(event, event_categories(event), lines, content, printed)
    sale.status = CounterSale.Status.ACCEPTED if accept else CounterSale.Status.REFUNDED
    sale.settled_by, sale.settled_at = actor, timezone.now()
    sale.save(update_fields=["order", "status", "settled_by", "settled_at"])
    log_action(
        actor,
        Action.COUNTER_SALE_SETTLED,
        sale.event,
        {"sale": str(sale.client_uuid), "accepted": accept, "note": note},
    )
    return sale
