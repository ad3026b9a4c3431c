"""Payouts to organisers (T6): one statement per ended event, due 15 days after it."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.audit import log_action
from hub.permissions import require_operator

from .. import selectors
from ..audit import Action
from ..models import Event, Settlement


def due_date(event: Event):
    return event.ends_at.astimezone(ZoneInfo(event.time_zone)).date() + timedelta(
        days=settings.SETTLEMENT_DELAY_DAYS
    )


def figures(event: Event) -> dict:
    """A statement's figures: the event's sales (``selectors.event_sales``), as owed to the organiser."""
    sales = selectors.event_sales(event).totals
    return {
        "gross_sales": sales.gross,
        "refunds": sales.refunded,
        "commission_excl_vat": sales.commission_excl_vat,
        "commission_vat": sales.commission_vat,
        "net_payout": sales.net,
        "tickets_sold": sales.sold,
        "currency": event.organisation.currency,
    }


@transaction.atomic
def compute_settlement(event: Event) -> Settlement | None:
    """Create or refresh the statement of an ended event; approved or paid ones are never touched."""
    existing = Settlement.objects.select_for_update().filter(event=event).first()
    if existing and existing.status != Settlement.Status.COMPUTED:
        return existing
    values = {**figures(event), "due_date": due_date(event), "computed_at": timezone.now()}
    settlement, created = Settlement.objects.update_or_create(
        event=event, defaults={"organisation_id": event.organisation_id, **values}
    )
    if created:
        log_action(None, Action.SETTLEMENT_COMPUTED, settlement, {"net_payout": str(settlement.net_payout)})
    return settlement


def compute_due_settlements(now=None) -> int:
    """Every ended event that sold something gets its statement (the scheduler runs this hourly)."""
    now = now or timezone.now()
    events = (
        Event.objects.filter(ends_at__lte=now)
        .exclude(status=Event.Status.DRAFT)
        .filter(Q(settlement__isnull=True) | Q(settlement__status=Settlement.Status.COMPUTED))
        .filter(orders__paid_at__isnull=False)
        .distinct()
    )
    count = 0
    for event in events:
        compute_settlement(event)
        count += 1
    return count


@transaction.atomic
def approve_settlement(*, actor, settlement: Settlement) -> Settlement:
    require_operator(actor)
    settlement = Settlement.objects.select_for_update().get(pk=settlement.pk)
    if settlement.status != Settlement.Status.COMPUTED:
        raise ValidationError(_("Only a computed statement can be approved."))
    compute_settlement(settlement.event)  # last figures before they are frozen
    settlement.refresh_from_db()
    settlement.status = Settlement.Status.APPROVED
    settlement.approved_at = timezone.now()
    settlement.save(update_fields=["status", "approved_at"])
    log_action(actor, Action.SETTLEMENT_APPROVED, settlement, {"net_payout": str(settlement.net_payout)})
    return settlement


@transaction.atomic
def mark_settlement_paid(*, actor, settlement: Settlement, reference: str) -> Settlement:
    require_operator(actor)
    settlement = Settlement.objects.select_for_update().get(pk=settlement.pk)
    if settlement.status != Settlement.Status.APPROVED:
        raise ValidationError(_("Approve the statement before marking it paid."))
    if not reference.strip():
        raise ValidationError(_("Enter the bank transfer reference."))
    settlement.status = Settlement.Status.PAID
    settlement.paid_at = timezone.now()
    settlement.payout_reference = reference.strip()
    settlement.save(update_fields=["status", "paid_at", "payout_reference"])
    log_action(actor, Action.SETTLEMENT_PAID, settlement, {"reference": settlement.payout_reference})
    return settlement
