"""Writes of the hub: roles, suppressions, outbox operations. Each one is atomic and audited."""

from django.db import transaction
from django.utils import timezone

from . import messaging, sms
from .audit import HubAction, log_action
from .models import Channel, MessageStatus, OutboundMessage, Role, Suppression, User, UserRole
from .permissions import require_role
from .signals import roles_changed


@transaction.atomic
def grant_role(*, actor, user: User, role: str) -> bool:
    """Give ``role`` to ``user``; returns False when they already had it."""
    _, created = UserRole.objects.get_or_create(user=user, role=Role(role))
    if created:
        log_action(actor, HubAction.ROLE_GRANTED, user, {"role": role})
        roles_changed.send(sender=User, user=user)
    return created


@transaction.atomic
def revoke_role(*, actor, user: User, role: str) -> bool:
    deleted, _ = UserRole.objects.filter(user=user, role=role).delete()
    if deleted:
        log_action(actor, HubAction.ROLE_REVOKED, user, {"role": role})
        roles_changed.send(sender=User, user=user)
    return bool(deleted)


@transaction.atomic
def suppress_address(*, actor, channel: str, address: str, reason: str) -> Suppression:
    """Stop everything to this address or number (opt-out, hard bounce) until it opts in again."""
    suppression, created = Suppression.objects.get_or_create(
        channel=channel, address=messaging.normalise_address(channel, address), defaults={"reason": reason}
    )
    if created:
        log_action(actor, HubAction.SUPPRESSION_ADDED, suppression, {"reason": reason})
    return suppression


@transaction.atomic
def unsuppress_address(*, actor, channel: str, address: str, reason: str) -> bool:
    suppression = Suppression.objects.filter(
        channel=channel, address=messaging.normalise_address(channel, address)
    ).first()
    if suppression is None:
        return False
    log_action(
        actor, HubAction.SUPPRESSION_REMOVED, suppression, {"reason": reason, "was": suppression.reason}
    )
    suppression.delete()
    return True


@transaction.atomic
def retry_message(*, actor, message_id: int) -> OutboundMessage:
    """Operator action: send a failed message again (from the first attempt's backoff)."""
    require_role(actor, Role.OPERATOR)
    message = OutboundMessage.objects.select_for_update().get(pk=message_id)
    if message.status != MessageStatus.FAILED:
        raise ValueError("only failed messages can be retried")
    before = {"attempts": message.attempts, "last_error": message.last_error}
    message.status = MessageStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = timezone.now()
    message.save(update_fields=["status", "attempts", "next_attempt_at"])
    log_action(actor, HubAction.OUTBOX_RETRIED, message, {"before": before})
    transaction.on_commit(lambda: messaging.outbox.dispatch([message.pk]))
    return message


@transaction.atomic
def record_sms_status(*, sid: str, status: str, error_code: str, to: str) -> None:
    """Twilio's delivery report for one SMS; an opted-out recipient (21610) is suppressed."""
    if not (sid and status):
        return
    OutboundMessage.objects.filter(channel=Channel.SMS, provider_id=sid).update(delivery_status=status[:32])
    if error_code == str(sms.TWILIO_OPTED_OUT) and sms.is_e164(to):
        suppress_address(actor="twilio", channel=Channel.SMS, address=to, reason="Twilio 21610: opted out")


SUPPRESSING_EVENTS = {"bounced", "complained", "unsubscribed"}  # anymail's normalised event types


@transaction.atomic
def record_email_event(
    *, esp: str, event_type: str, message_id: str, recipient: str, detail: str = ""
) -> None:
    """An email provider's tracking event (delivered, bounced, complained …, as anymail names them) on the
    outbox row it sent; a hard bounce, a complaint or an unsubscribe suppresses the address (audited). A
    temporary bounce is *deferred* for anymail and suppresses nothing."""
    if message_id:
        OutboundMessage.objects.filter(channel=Channel.EMAIL, provider_id=message_id).update(
            delivery_status=event_type[:32]
        )
    if event_type in SUPPRESSING_EVENTS and recipient:
        suppress_address(
            actor=esp, channel=Channel.EMAIL, address=recipient, reason=f"{esp}: {event_type} {detail}"[:255]
        )


@transaction.atomic
def set_language(*, actor: User, language: str) -> None:
    if actor.language != language:
        log_action(actor, HubAction.LANGUAGE_CHANGED, actor, {"before": actor.language, "after": language})
        actor.language = language
        actor.save(update_fields=["language"])
