"""The operator's payouts in Excel: the same groups as the Payouts page, the recently paid included."""

from django.utils import timezone
from django.utils.translation import gettext as _

from hub.spreadsheets import xlsx

from .formatting import AMOUNT_NUMBER_FORMAT, DATE_NUMBER_FORMAT


def payouts_xlsx(groups: dict, *, today) -> bytes:
    """``groups``: ``selectors.payouts``. One sheet per group of the page, in its order."""
    headers = [
        _("Due date"),
        _("Organisation"),
        _("Account ID"),
        _("Event"),
        _("Tickets"),
        _("Gross sales"),
        _("Refunds"),
        _("Commission excl. VAT"),
        _("VAT on commission"),
        _("Net payout"),
        _("Status"),
        _("Bank reference"),
        _("Paid on"),
    ]

    def rows(settlements):
        for s in settlements:
            yield [
                s.due_date,
                s.organisation.name,
                s.organisation.account_id,
                s.event.title,
                s.tickets_sold,
                s.gross_sales,
                s.refunds,
                s.commission_excl_vat,
                s.commission_vat,
                s.net_payout,
                s.get_status_display(),
                s.payout_reference,
                timezone.localdate(s.paid_at) if s.paid_at else None,
            ]

    sheets = [
        (_("Overdue"), headers, rows(groups["overdue"])),
        (_("Due within 7 days"), headers, rows(groups["soon"])),
        (_("Later"), headers, rows(groups["later"])),
        (_("Recently paid"), headers, rows(groups["paid"])),
    ]
    return xlsx(
        sheets,
        widths=[12, 28, 12, 36, 9, 13, 11, 14, 12, 13, 12, 18, 12],
        number_formats=[DATE_NUMBER_FORMAT, None, None, None, None, *[AMOUNT_NUMBER_FORMAT] * 5, None, None]
        + [DATE_NUMBER_FORMAT],
    )
