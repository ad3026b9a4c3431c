"""Sending each event's listing to its organiser around the end of sales (T2), exactly once."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hub import messaging
from hub.audit import log_action
from hub.models import Role

from .. import listings
from ..audit import Action
from ..models import Event, ListingDispatch, Membership, Ticket

logger = logging.getLogger(__name__)
CATCH_UP = timedelta(days=7)  # a listing missed while Guichet was down still goes out within this time


def dispatch_due_listings(now=None) -> int:
    """Email the listing of every event whose sales end within ±10 minutes (or ended while we were down).

    The ``ListingDispatch`` row is inserted first, in the same transaction as the email: a second
    scheduler racing for the same event waits on the unique row, then gives up.
    """
    now = now or timezone.now()
    window = timedelta(minutes=settings.LISTING_WINDOW_MINUTES)
    due = (
        Event.objects.filter(status=Event.Status.PUBLISHED, listing_dispatch__isnull=True)
        .filter(sales_end__lte=now + window, sales_end__gte=now - CATCH_UP)
        .select_related("organisation")
    )
    sent = 0
    for event in due:
        try:
            with transaction.atomic():
                _send(event, now, window)
            sent += 1
        except IntegrityError:
            logger.info("listing of event %s was sent by another scheduler", event.pk)
    return sent


def _send(event: Event, now, window) -> None:
    late = max(now - (event.sales_end + window), timedelta(0))
    tickets = Ticket.objects.filter(event=event, status=Ticket.Status.VALID).count()
    dispatch = ListingDispatch.objects.create(
        event=event,
        due_at=event.sales_end,
        dispatched_at=now,
        delay_seconds=int(late.total_seconds()),
        recipient=event.organisation.contact_email,
        tickets=tickets,
    )
    admin = (
        Membership.objects.filter(organisation=event.organisation, role=Role.SELLER_ADMIN)
        .select_related("user")
        .first()
    )
    with translation.override(admin.user.language if admin else settings.LANGUAGE_CODE):
        name = listings.filename(event)
        messaging.enqueue_email(
            to=event.organisation.contact_email,
            subject=_("Listing for %(event)s") % {"event": event.title},
            body=render_to_string(
                "ticketing/emails/listing.txt",
                # "end now" only around the end of sales; a listing caught up later says when they ended
                {"event": event, "tickets": tickets, "ended": late > timedelta(0)},
            ),
            attachments=[
                (f"{name}.xlsx", listings.xlsx(event), listings.XLSX_TYPE),
                (f"{name}.html", listings.html(event).encode(), "text/html"),
            ],
            idempotency_key=f"listing:{event.pk}",
        )
    log_action(
        None,
        Action.LISTING_SENT,
        event,
        {"recipient": dispatch.recipient, "tickets": tickets, "delay_seconds": dispatch.delay_seconds},
    )
