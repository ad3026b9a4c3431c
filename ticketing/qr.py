"""QR codes: each e-ticket encodes the absolute URL of its ticket page, /t/<secret>/; an event's poster
encodes its public sale page."""

import io

import qrcode
from django.conf import settings
from django.urls import reverse


def ticket_url(ticket) -> str:
    return settings.SITE_URL + reverse("ticket", args=[ticket.secret])


def event_url(event) -> str:
    """The public sale page of an event, for the online-purchase poster (P4)."""
    return settings.SITE_URL + reverse("ticketing:event", args=[event.organisation.slug, event.slug])


def png(data: str, *, box_size: int = 8) -> bytes:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=2)
    code.add_data(data)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()
