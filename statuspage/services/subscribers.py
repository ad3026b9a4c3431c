"""Subscriptions (S3): email with double opt-in, SMS confirmed by a code, signed webhooks."""

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hub import ratelimit, sms
from hub.audit import log_action
from hub.messaging.webhooks import resolve_public_target

from .. import notifications
from ..audit import Action
from ..models import Subscriber
from .common import valid_language

SUBSCRIPTIONS_PER_HOUR = 5


class TooManySubscriptions(Exception):
    pass


@transaction.atomic
def subscribe(*, channel: str, address: str, language: str, components, ip: str) -> Subscriber:
    """Start a subscription. Email: a confirmation link (double opt-in); SMS: a code by SMS; webhook: at once,
    with a secret to check our signatures."""
    if not ratelimit.hit("status-subscribe", ip, limit=SUBSCRIPTIONS_PER_HOUR, window=3600):
        raise TooManySubscriptions
    address = address.strip()
    if channel == Subscriber.Channel.EMAIL:
        validate_email(address)
        address = address.lower()
    elif channel == Subscriber.Channel.SMS:
        address = sms.normalise_mobile(address)
    elif channel == Subscriber.Channel.WEBHOOK:
        resolve_public_target(address)
    else:
        raise ValidationError(_("Unknown channel."))
    existing = Subscriber.objects.filter(
        channel=channel, address=address, unsubscribed_at__isnull=True
    ).first()
    subscriber = existing or Subscriber(channel=channel, address=address)
    subscriber.language = valid_language(language)
    if channel == Subscriber.Channel.WEBHOOK and not subscriber.secret:
        subscriber.secret = secrets.token_urlsafe(32)
        subscriber.confirmed_at = timezone.now()
    subscriber.save()
    subscriber.components.set(components)
    log_action(None, Action.SUBSCRIBED, subscriber, {"channel": channel}, ip=ip or None)
    if channel == Subscriber.Channel.EMAIL and not subscriber.confirmed_at:
        notifications.send_confirmation(subscriber)
    elif channel == Subscriber.Channel.SMS and not subscriber.confirmed_at:
        sms.start_verification(to=address, ip=ip)  # last: a refusal (SmsRefused) undoes the subscription
    return subscriber


@transaction.atomic
def confirm(*, subscriber: Subscriber) -> Subscriber:
    if subscriber.unsubscribed_at is None and subscriber.confirmed_at is None:
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["confirmed_at"])
        log_action(None, Action.SUBSCRIPTION_CONFIRMED, subscriber)
    return subscriber


def confirm_sms(*, subscriber: Subscriber, code: str) -> bool:
    result = sms.check_verification(to=subscriber.address, code=code)
    if result == sms.Verification.APPROVED:
        confirm(subscriber=subscriber)
        return True
    return False


@transaction.atomic
def update_preferences(*, subscriber: Subscriber, language: str, components) -> Subscriber:
    subscriber.language = valid_language(language)
    subscriber.save(update_fields=["language"])
    subscriber.components.set(components)
    log_action(None, Action.SUBSCRIPTION_CHANGED, subscriber)
    return subscriber


@transaction.atomic
def unsubscribe(*, subscriber: Subscriber) -> Subscriber:
    if subscriber.unsubscribed_at is None:
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["unsubscribed_at"])
        log_action(None, Action.UNSUBSCRIBED, subscriber)
    return subscriber
