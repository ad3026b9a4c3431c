"""Money and dates as each language writes them: 12,50 € / 12,50 € / €12.50 (``ticketing.formatting``);
“Freitag, 18. Dezember 2026”."""

from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.formats import number_format
from django.utils.html import format_html

from hub.i18n import current_language

from ..formatting import format_amount

register = template.Library()

LONG_DATETIME = {"fr": "l j F Y, H:i", "de": "l, j. F Y, H:i", "en": "l j F Y, H:i"}
LONG_DATE = {"fr": "l j F Y", "de": "l, j. F Y", "en": "l j F Y"}


@register.filter
def money(value, currency=None):
    """An amount in the active language (``ticketing.formatting.format_amount``)."""
    return format_amount(value, currency)


@register.filter
def email_address(value):
    """An address kept whole: it may break only after its @ (``<wbr>``), never inside a word; the whole
    address is its title, for a cell too narrow even for one part."""
    if not value:
        return ""
    local, at, domain = str(value).rpartition("@")
    if not at:
        return format_html('<span class="email" title="{}">{}</span>', value, value)
    return format_html('<span class="email" title="{}">{}@<wbr>{}</span>', value, local, domain)


@register.filter
def percent(value):
    """A rate such as 0.055 shown as 5,5 %."""
    if value in (None, ""):
        return ""
    return f"{number_format((Decimal(value) * 100).normalize(), use_l10n=True)}\u00a0%"


def _localised(value, formats):
    if not value:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return date_format(value, formats[current_language()])


@register.filter
def long_datetime(value):
    return _localised(value, LONG_DATETIME)


@register.filter
def long_date(value):
    return _localised(value, LONG_DATE)
