"""The SLA sweep (C3, C4, C7): marks missed targets once, escalates breached urgent requests by
themselves, and closes requests resolved ``SUPPORT_CLOSE_RESOLVED_DAYS`` ago. Rows are claimed with
``SKIP LOCKED`` on PostgreSQL, so two schedulers never handle one request twice."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from hub.audit import log_action, log_actions

from ..audit import Action
from ..models import Priority, SupportRequest, TimelineEntry
from . import escalations

BATCH = 500
AUTOMATIC_REASON = gettext_noop("The urgent request missed its SLA target.")


def _claim(queryset):
    return list(queryset.select_for_update(skip_locked=True).order_by("pk")[:BATCH])


def mark_breaches() -> list[int]:
    """Mark open requests past a due time (not while waiting on the customer); returns their ids."""
    now = timezone.now()
    late = Q(first_responded_at__isnull=True, first_response_due__lt=now) | Q(resolution_due__lt=now)
    breached = []
    while True:
        with transaction.atomic():
            rows = _claim(
                SupportRequest.objects.filter(late, status__in=("new", "open"), breached_at__isnull=True)
            )
            if not rows:
                return breached
            ids = [row.pk for row in rows]
            SupportRequest.objects.filter(pk__in=ids).update(breached_at=now)
            TimelineEntry.objects.bulk_create(
                TimelineEntry(
                    request=row, kind=TimelineEntry.Kind.SLA, author_label="sla", data={"breached": True}
                )
                for row in rows
            )
            log_actions("sla", Action.SLA_BREACHED, rows)
            breached += [row.pk for row in rows if row.priority == Priority.URGENT]


def sweep() -> dict:
    """What the scheduler runs every minute."""
    breached_urgent = mark_breaches()
    escalated = 0
    for request_id in breached_urgent:
        try:
            _escalation, created = escalations.escalate(
                actor=None, request_id=request_id, reason=AUTOMATIC_REASON, automatic=True
            )
        except ValidationError:  # nobody to escalate to: the breach stays marked in the queue
            continue
        escalated += created
    closed = close_resolved()
    return {"breached_urgent": len(breached_urgent), "escalated": escalated, "closed": closed}


def close_resolved() -> int:
    cutoff = timezone.now() - timedelta(days=settings.SUPPORT_CLOSE_RESOLVED_DAYS)
    closed = 0
    with transaction.atomic():
        rows = _claim(SupportRequest.objects.filter(status="resolved", resolved_at__lte=cutoff))
        for row in rows:
            SupportRequest.objects.filter(pk=row.pk).update(status="closed", closed_at=timezone.now())
            TimelineEntry.objects.create(
                request=row,
                kind=TimelineEntry.Kind.STATUS,
                author_label="sla",
                data={"from": "resolved", "to": "closed"},
            )
            log_action("sla", Action.STATUS_CHANGED, row, {"before": "resolved", "after": "closed"})
            closed += 1
    return closed
