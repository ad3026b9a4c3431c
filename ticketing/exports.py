from django.utils.translation import gettext as _

from hub.spreadsheets import xlsx


def payouts_xlsx(groups: dict, *, today) -> bytes:
    headers = [
        _("Due date"),
        _("Organisation"),
        _("Event"),
        _("Tickets"),
        _("Gross sales"),
        _("Refunds"),
        _("Commission excl. VAT"),
        _("VAT on commission"),
        _("Net payout"),
        _("Status"),
        _("Bank reference"),
    ]

    def rows(settlements):
        for s in settlements:
            yield [
                s.due_date,
                s.organisation.name,
                s.event.title,
                s.tickets_sold,
                s.gross_sales,
                s.refunds,
                s.commission_excl_vat,
                s.commission_vat,
                s.net_payout,
                s.get_status_display(),
                s.payout_reference,
            ]

    sheets = [
        (_("Overdue"), headers, rows(groups["overdue"])),
        (_("Due within 7 days"), headers, rows(groups["soon"])),
        (_("Later"), headers, rows(groups["later"])),
    ]
    return xlsx(sheets, widths=[12, 28, 36, 9, 13, 11, 14, 12, 13, 12, 18])
