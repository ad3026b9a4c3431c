"""The support desk's template filters: ``reason`` translates a stored triage reason for agents.

Reasons are stored in English as the rules wrote them (``escalation.triage``), e.g.
"blocks check-in: 'scanner', 'entrée'" or "possibly degrades performance: 'lent'".
The filter translates what the rules said (the label before ": ", the "possibly" and "(with context)"
around it, the show, incident and learned phrases) and keeps the quoted words of the request as they are.
A reason it cannot read is shown unchanged."""

import re

from django import template
from django.utils import translation
from django.utils.translation import gettext as _

from ..models import SalesChannel
from ..triage import (
    CHOSEN_CHANNELS,
    LEARNED,
    OPEN_INCIDENT,
    POSSIBLY,
    REASONS,
    SHOW_SOON,
    WITH_CONTEXT,
)

register = template.Library()

LABELS = frozenset(REASONS.values())
SHOW = re.compile(r"show starting within (?P<hours>\d+) hours")
INCIDENT = re.compile(r"open incident (?P<code>\S+) on (?P<channels>.+)", re.DOTALL)
POSSIBLY_PREFIX = POSSIBLY.split("%(reason)s")[0]  # "possibly "
WITH_CONTEXT_SUFFIX = WITH_CONTEXT.split("%(reason)s")[1]  # " (with context)"


def _channel(name: str) -> str:
    """A channel's name, translated when it is one of the form's channels named in English."""
    with translation.override("en"):
        english = {str(label): label for label in SalesChannel.labels}
    label = english.get(name)
    return str(label) if label is not None else name


def _label(label: str) -> str | None:
    """The label part of a reason, translated; None when it is not one the rules write."""
    possibly = label.startswith(POSSIBLY_PREFIX)
    if possibly:
        label = label[len(POSSIBLY_PREFIX) :]
    with_context = label.endswith(WITH_CONTEXT_SUFFIX)
    if with_context:
        label = label[: -len(WITH_CONTEXT_SUFFIX)]
    if label in LABELS or label == LEARNED:
        text = _(label)
    elif match := SHOW.fullmatch(label):
        text = _(SHOW_SOON) % {"hours": match["hours"]}
    else:
        return None
    if with_context:
        text = _(WITH_CONTEXT) % {"reason": text}
    return _(POSSIBLY) % {"reason": text} if possibly else text


def translate_reason(reason: str) -> str:
    reason = str(reason)
    if reason == LEARNED:
        return _(LEARNED)
    if match := INCIDENT.fullmatch(reason):
        channels = match["channels"]
        channels = (
            _(CHOSEN_CHANNELS)
            if channels == CHOSEN_CHANNELS
            else ", ".join(_channel(name) for name in channels.split(", "))
        )
        return _(OPEN_INCIDENT) % {"code": match["code"], "channels": channels}
    label, colon, words = reason.partition(": ")
    translated = _label(label) if colon else None
    if translated is None:
        return reason
    # Translators: a reason why a support request is urgent, then the words of the request that show it.
    return _("%(reason)s: %(words)s") % {"reason": translated, "words": words}


@register.filter
def reason(value) -> str:
    """A stored triage reason in the active language (``{{ reason|reason }}``); autoescaped as usual."""
    return translate_reason(value)
