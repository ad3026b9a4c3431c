"""Subscriptions (S3) by email, SMS or signed webhook.

Subscribing never reveals or changes an existing subscription: every sign-up, for a new address or one
already subscribed, takes the same path and gives the same answer. It stores a ``SubscriptionRequest`` and
asks the address's owner to confirm it: a link by email, a code by SMS, a signed call carrying a link to
a webhook. Only the confirmation creates the subscription, or applies the requested language, components
(and, for a webhook, the new secret) to the one that exists.
"""

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
from ..models import Subscriber, SubscriptionRequest
from .common import valid_language

SUBSCRIPTIONS_PER_HOUR = 5


class TooManySubscriptions(Exception):
    pass


def _valid_address(channel: str, address: str) -> str:
    address = address.strip()
    if channel == Subscriber.Channel.EMAIL:
        validate_email(address)
        return address.lower()
    if channel == Subscriber.Channel.SMS:
        return sms.normalise_mobile(address)
    if channel == Subscriber.Channel.WEBHOOK:
        resolve_public_target(address)
        return address
    raise ValidationError(_("Unknown channel."))


@transaction.atomic
def subscribe(*, channel: str, address: str, language: str, components, ip: str) -> SubscriptionRequest:
    """Ask the owner of ``address`` to confirm: a link by email, a code by SMS (``SmsRefused`` when the SMS
    guard refuses the number or a limit is hit; then nothing is stored), a signed call with a link to a
    webhook, whose new secret the request holds to show it once to whoever asked."""
    if not ratelimit.hit("status-subscribe", ip, limit=SUBSCRIPTIONS_PER_HOUR, window=3600):
        raise TooManySubscriptions
    address = _valid_address(channel, address)
    request = SubscriptionRequest.objects.create(
        channel=channel,
        address=address,
        language=valid_language(language),
        secret=secrets.token_urlsafe(32) if channel == Subscriber.Channel.WEBHOOK else "",
    )
    request.components.set(components)
    log_action(None, Action.SUBSCRIBED, request, {"channel": channel}, ip=ip or None)
    if channel == Subscriber.Channel.EMAIL:
        notifications.send_confirmation(request)
    elif channel == Subscriber.Channel.WEBHOOK:
        notifications.send_webhook_confirmation(request)
    else:  # last, so that a refusal rolls the request back; the code is sent before the answer
        sms.start_verification(to=address, ip=ip or None)
    return request


def confirm(*, pending: SubscriptionRequest) -> Subscriber:
    """The owner opened the link sent to the email address or to the webhook."""
    if pending.channel == Subscriber.Channel.SMS:
        raise ValidationError(_("Confirm this subscription with the code sent by SMS."))
    return _apply(pending)


def confirm_sms(*, pending: SubscriptionRequest, code: str) -> Subscriber | None:
    """The owner typed the code texted to the number; None when it is wrong or expired."""
    if pending.channel != Subscriber.Channel.SMS:
        raise ValidationError(_("This subscription is confirmed by its link."))
    if sms.check_verification(to=pending.address, code=code) != sms.Verification.APPROVED:
        return None
    return _apply(pending)


@transaction.atomic
def _apply(pending: SubscriptionRequest) -> Subscriber:
    """Create the subscription the request asks for, or apply it to the live one (once: a second click on
    the link changes nothing more)."""
    request = SubscriptionRequest.objects.select_for_update().get(pk=pending.pk)
    if request.subscriber_id is not None:
        return request.subscriber
    now = timezone.now()
    subscriber = (
        Subscriber.objects.select_for_update()
        .filter(channel=request.channel, address=request.address, unsubscribed_at__isnull=True)
        .first()
    )
    created = subscriber is None
    if created:
        subscriber = Subscriber(channel=request.channel, address=request.address)
    subscriber.language = request.language
    subscriber.confirmed_at = subscriber.confirmed_at or now
    if request.secret:
        subscriber.secret = request.secret
    subscriber.save()
    subscriber.components.set(request.components.all())
    request.confirmed_at, request.subscriber = now, subscriber
    request.save(update_fields=["confirmed_at", "subscriber"])
    log_action(
        None,
        Action.SUBSCRIPTION_CONFIRMED if created else Action.SUBSCRIPTION_CHANGED,
        subscriber,
        {"request": request.pk, "language": request.language},
    )
    return subscriber


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
