"""Amounts as the reader writes them: the one formatter behind every amount in pages, messages, emails,
listings and exports.

``format_amount(Decimal("1234.5"))`` gives ``1 234,50 €`` in French, ``1.234,50 €`` in German and
``€1,234.50`` in English: the active language's decimal and grouping signs (Django's number formats, with
``hub.formats`` for Guichet's British English), two decimals, and in French and German a no-break space
(U+00A0, the convention of tests/hub/test_typography.py) before the sign, so that an amount never breaks.
Other currencies alike: ``12,50 CHF`` / ``CHF 12.50``, ``12,50 £`` / ``£12.50``.

Spreadsheets keep amounts as numbers: ``amount_number_format(currency)`` is the cell format that the
reader's spreadsheet shows with its own signs.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import translation
from django.utils.formats import number_format

from hub.i18n import current_language

NBSP = "\u00a0"
SYMBOLS = {"EUR": "€", "GBP": "£"}  # any other code (CHF) is written as its code
DATE_NUMBER_FORMAT = "mm-dd-yy"  # Excel's built-in short date (14): shown as the reader's system writes dates


def _sign(currency: str | None) -> str:
    """How ``currency`` (the site's by default) is written next to an amount: its symbol, else its code."""
    code = currency or settings.CURRENCY
    return SYMBOLS.get(code, code)


def amount_number_format(currency: str | None = None) -> str:
    """The spreadsheet cell format of an amount in ``currency`` (the site's by default)."""
    sign = _sign(currency)
    return f'#,##0.00\\ "{sign}";-#,##0.00\\ "{sign}"'


def format_amount(value, currency: str | None = None, *, language: str | None = None) -> str:
    """``value`` (Decimal, int, float or numeric string) in ``language`` (the active one by default);
    ``currency``: an ISO code or a sign, the site's currency by default. Empty for None or ""."""
    if value in (None, ""):
        return ""
    sign = _sign(currency)
    amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    with translation.override(language or current_language()):
        text = number_format(abs(amount), 2, use_l10n=True, force_grouping=True)
        english = current_language() == "en"
    minus = "-" if amount < 0 else ""
    if not english:
        return f"{minus}{text}{NBSP}{sign}"
    return f"{minus}{sign}{NBSP if sign.isalpha() else ''}{text}"  # CHF 12.50, £12.50
