"""The door listing of an event (T2–T4): the same rows as Excel and as printable HTML."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hub.spreadsheets import xlsx as write_xlsx

from .formatting import amount_number_format, format_amount
from .models import Event, Ticket

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def headers() -> list[str]:
    return [
        _("Ticket number"),
        _("Last name"),
        _("First name"),
        _("Category"),
        _("Order"),
        _("Buyer email"),
        _("Price"),
        _("Status"),
    ]


def rows(event: Event):
    """Valid tickets by name, read in chunks so that 50,000 of them stay small in memory."""
    presence = dict(Ticket._meta.get_field("presence").choices)
    categories = {c.pk: c.name for c in event.categories.all()}
    tickets = (
        Ticket.objects.filter(event=event, status=Ticket.Status.VALID)
        .order_by("last_name", "first_name", "number")
        .values_list(
            "number",
            "last_name",
            "first_name",
            "category_id",
            "order__reference",
            "order__buyer_email",
            "price",
            "presence",
        )
    )
    for number, last, first, category, reference, email, price, state in tickets.iterator(chunk_size=2000):
        yield [number, last, first, categories[category], reference, email, price, str(presence[state])]


def filename(event: Event) -> str:
    return f"listing-{slugify(event.title)[:40]}-{timezone.localdate():%Y%m%d}"


def xlsx(event: Event) -> bytes:
    return write_xlsx(
        [(_("Listing"), headers(), rows(event))],
        widths=[14, 22, 18, 20, 11, 30, 9, 16],
        number_formats=[None] * 6 + [amount_number_format(event.organisation.currency)],
    )


BODY = "\x00rows\x00"


def html(event: Event, *, style_nonce: str = "") -> str:
    """Printable, with a box to tick per line; built row by row (a template loop is slow at 50,000), and
    joined once with the page around it, so that the rows exist in memory a single time. ``style_nonce``:
    the Content-Security-Policy nonce of the response that serves it."""
    page = render_to_string(
        "ticketing/listing.html",
        {
            "event": event,
            "headers": headers(),
            "body": BODY,
            "now": timezone.now(),
            "style_nonce": style_nonce,
        },
    )
    head, tail = page.split(BODY)
    currency = event.organisation.currency
    lines = (
        "<tr><td class=tick></td>"
        + "".join(f"<td>{escape(value)}</td>" for value in row[:6])
        + f"<td class=num>{format_amount(row[6], currency)}</td><td>{escape(row[7])}</td></tr>\n"
        for row in rows(event)
    )
    return "".join([head, *lines, tail])
