"""QR codes: each e-ticket encodes the absolute URL of its ticket page, /t/<secret>/; an event's poster
encodes its public sale page."""

import base64
import io

import qrcode
from django.conf import settings
from django.urls import reverse


def ticket_url(ticket) -> str:
    return settings.SITE_URL + reverse("ticket", args=[ticket.secret])


def event_url(event) -> str:
    """The public sale page of an event, for the online-purchase poster (P4)."""
    return settings.SITE_URL + reverse("ticketing:event", args=[event.organisation.slug, event.slug])


def _code(data: str, **options) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, **options)
    code.add_data(data)
    code.make(fit=True)
    return code


def png(data: str, *, box_size: int = 8) -> bytes:
    code = _code(data, box_size=box_size, border=2)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


def modules(data: str) -> dict:
    """The QR code's dark modules, for a device that draws it offline (the POS's receipts): ``size`` modules
    a side, ``bits`` row by row as hexadecimal (1 = dark), without the quiet zone."""
    rows = _code(data, border=0).get_matrix()
    bits = "".join("1" if dark else "0" for row in rows for dark in row)
    bits += "0" * (-len(bits) % 4)  # whole hexadecimal digits
    return {
        "size": len(rows),
        "bits": "".join(format(int(bits[i : i + 4], 2), "x") for i in range(0, len(bits), 4)),
    }


def data_uri(data: str, *, box_size: int = 8) -> str:
    """The code as a PNG data URI, for a page that must print without fetching anything (the emergency
    sheet)."""
    return "data:image/png;base64," + base64.b64encode(png(data, box_size=box_size)).decode()
