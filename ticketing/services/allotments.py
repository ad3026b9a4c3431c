"""Allotments (P1): seats a box-office station holds to sell offline, their tickets issued in advance.

A station back online asks for seats of each category it sells; their tickets (secrets included) are issued
at once to a *held* order of the station, so online sales cannot take them and the station prints real QR
codes offline. Selling them later never oversells; what is not sold goes back on sale when the station
releases it or the event ends (``expire_orders``).
"""

import secrets
from collections import Counter
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import selectors
from ..models import Allotment, Event, Order, Station, Ticket
from .counter import event_categories, why_it_does_not_fit
from .orders import new_reference

MAX_ALLOTMENT = 200  # tickets a station may hold per category and request


def issue_allotment(*, station: Station, event_id: int, category_id: int, quantity: int) -> list[Ticket]:
    """Hold ``quantity`` more seats of a category for ``station`` to sell offline, their tickets issued now
    (secrets included): online sales cannot take them, offline sales of them never oversell."""
    if not 1 <= quantity <= MAX_ALLOTMENT:
        raise ValidationError(
            {"quantity": _("Hold from 1 to %(max)s tickets at a time.") % {"max": MAX_ALLOTMENT}}
        )
    with transaction.atomic():
        event = (
            Event.objects.select_for_update()
            .filter(pk=event_id, organisation=station.organisation_id)
            .select_related("organisation")
            .first()
        )
        if event is None:
            raise ValidationError({"event": _("This event does not exist.")})
        categories = event_categories(event)
        if category_id not in categories:
            raise ValidationError({"category": _("This ticket category does not exist.")})
        reason = why_it_does_not_fit(
            event, categories, selectors.seats_taken(event), Counter({category_id: quantity})
        )
        if reason or event.has_ended:
            raise ValidationError(reason or _("The event is over."))
        allotment = Allotment.objects.filter(station=station, event=event).select_related("order").first()
        if allotment is None:
            order = Order.objects.create(
                organisation_id=event.organisation_id,
                event=event,
                reference=new_reference(),
                buyer_email="",
                status=Order.Status.HELD,
                channel=Order.Channel.COUNTER,
                total=Decimal("0.00"),
                currency=event.organisation.currency,
                expires_at=event.ends_at,  # then expire_orders puts what is left back on sale
            )
            allotment = Allotment.objects.create(station=station, event=event, order=order)
        start = (
            Ticket.objects.filter(number__startswith=f"{allotment.order.reference}-").count() + 1
        )  # sold ones too
        category = categories[category_id]
        return Ticket.objects.bulk_create(
            Ticket(
                order=allotment.order,
                event=event,
                category=category,
                number=f"{allotment.order.reference}-{number}",
                secret=secrets.token_urlsafe(24),
                price=category.price,
                vat_rate=category.vat_rate,
            )
            for number in range(start, start + quantity)
        )


@transaction.atomic
def release_allotment(*, station: Station, event_id: int) -> int:
    """Put the station's unsold allotment for an event back on sale (the station closes); how many seats."""
    return Ticket.objects.filter(
        order__allotment__station=station, order__allotment__event_id=event_id, status=Ticket.Status.RESERVED
    ).update(status=Ticket.Status.VOID)
