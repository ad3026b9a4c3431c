"""The operator's payouts in Excel: the same groups as the Payouts page, the recently paid included; and a
box-office station's Z report."""

from django.utils import timezone
from django.utils.translation import gettext as _

from hub.spreadsheets import xlsx

from .formatting import DATE_NUMBER_FORMAT, amount_number_format


def payouts_xlsx(groups: dict, *, today) -> bytes:
    """``groups``: ``selectors.payouts``. One sheet per group of the page, in its order. Statements are in
    their organisation's currency, so amounts are plain numbers and the last column names the currency."""
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
        _("Currency"),
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
                s.currency,
            ]

    sheets = [
        (_("Overdue"), headers, rows(groups["overdue"])),
        (_("Due within 7 days"), headers, rows(groups["soon"])),
        (_("Later"), headers, rows(groups["later"])),
        (_("Recently paid"), headers, rows(groups["paid"])),
    ]
    return xlsx(
        sheets,
        widths=[12, 28, 12, 36, 9, 13, 11, 14, 12, 13, 12, 18, 12, 9],
        number_formats=[DATE_NUMBER_FORMAT, None, None, None, None, *["#,##0.00"] * 5, None, None]
        + [DATE_NUMBER_FORMAT, None],
    )


def z_report_xlsx(report) -> bytes:
    """``report``: ``box_office_selectors.z_report``. A sheet of sales per payment method, refunds and
    conflicts, and a sheet of the cash sessions; amounts are numbers, times in the site's time zone."""

    def moment(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    def person(user):
        return (user.get_full_name() or user.get_username()) if user else ""

    sales = [
        *([line.label, line.sales, line.tickets, line.amount] for line in report.methods),
        [_("Total"), report.sales, report.tickets, report.amount],
        [_("Refunds"), report.refunds, None, -report.refunded],
        [_("Net"), None, None, report.net],
        [_("Unsettled conflicts"), report.conflicts, None, None],
    ]
    sessions = [
        [
            moment(cash.session.opened_at),
            moment(cash.session.closed_at) or _("Open"),
            person(cash.session.opened_by),
            cash.session.opening_float,
            cash.cash_sales,
            -cash.cash_refunds,
            cash.expected,
            cash.session.counted_cash,
            cash.difference,
            _("Check") if cash.flagged else "",
            cash.session.note,
        ]
        for cash in report.sessions
    ]
    headers = [_("Opened"), _("Closed"), _("Opened by"), _("Float"), _("Cash sales"), _("Cash refunds")]
    headers += [_("Expected cash"), _("Cash counted"), _("Difference"), _("Flag"), _("Note")]
    money = amount_number_format(report.station.organisation.currency)
    return xlsx(
        [
            (_("Sales"), [_("Payment method"), _("Sales"), _("Tickets"), _("Amount")], sales),
            (_("Cash sessions"), headers, sessions),
        ],
        widths=[22, 18, 18, 13, 13, 13, 14, 13, 12, 10, 30],
        number_formats=[None, None, None, *[money] * 6, None, None],
    )
