from datetime import datetime, time, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from .models import ApiToken, AuditEntry, Channel, MessageStatus, OutboundMessage
from .permissions import is_operator


def outbox_messages(*, status: str = "", channel: str = "", q: str = ""):
    messages = OutboundMessage.objects.defer("body", "html")
    if status:
        messages = messages.filter(status=status)
    if channel:
        messages = messages.filter(channel=channel)
    if q:
        messages = messages.filter(recipient__icontains=q)
    return messages.order_by("-created_at", "-id")


def outbox_counts() -> list[tuple[str, str, int]]:
    """(status, label, number of messages) for every status, zeros included."""
    counts = dict(OutboundMessage.objects.values_list("status").annotate(n=Count("id")).order_by())
    return [(status, label, counts.get(status, 0)) for status, label in MessageStatus.choices]


def email_bounces(days: int = 14) -> list[dict]:
    """Per day of sending, the emails the provider reported bounced or complained about (newest first)."""
    since = timezone.now() - timedelta(days=days)
    return list(
        OutboundMessage.objects.filter(
            channel=Channel.EMAIL, sent_at__gte=since, delivery_status__in=["bounced", "complained"]
        )
        .annotate(day=TruncDate("sent_at"))
        .values("day")
        .annotate(
            bounced=Count("id", filter=Q(delivery_status="bounced")),
            complained=Count("id", filter=Q(delivery_status="complained")),
        )
        .order_by("-day")
    )


def audit_entries(*, action: str = "", actor: str = "", target: str = "", since=None, until=None):
    entries = AuditEntry.objects.all()
    if action:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(actor_label__icontains=actor)
    if target:
        entries = entries.filter(
            Q(target_label__icontains=target) | Q(target_id=target) | Q(target_type=target)
        )
    tz = timezone.get_current_timezone()
    if since:
        entries = entries.filter(created_at__gte=datetime.combine(since, time.min, tzinfo=tz))
    if until:
        entries = entries.filter(created_at__lte=datetime.combine(until, time.max, tzinfo=tz))
    return entries.order_by("-created_at", "-id")


def api_tokens_visible_to(user):
    """Every token for an operator; a user's own tokens for anyone else."""
    tokens = ApiToken.objects.select_related("user").order_by("-created_at", "-id")
    return tokens if is_operator(user) else tokens.filter(user=user)
