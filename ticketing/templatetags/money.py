from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def money(value, currency="€"):
    """12,50 € in French and German, 12.50 € in English."""
    if value in (None, ""):
        return ""
    return f"{number_format(value, 2, use_l10n=True, force_grouping=True)}\u00a0{currency}"


@register.filter
def percent(value):
    """A rate such as 0.055 shown as 5,5 %."""
    if value in (None, ""):
        return ""
    return f"{number_format((value * 100).normalize(), use_l10n=True)}\u00a0%"
