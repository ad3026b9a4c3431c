from datetime import datetime, time

from django.db.models import Count, Q
from django.utils import timezone

from .models import ApiToken, AuditEntry, MessageStatus, OutboundMessage
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
