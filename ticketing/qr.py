"""QR codes of e-tickets: each encodes the absolute URL of its ticket page, /t/<secret>/."""

import io

import qrcode
from django.conf import settings
from django.urls import reverse


def ticket_url(ticket) -> str:
    return settings.SITE_URL + reverse("ticket", args=[ticket.secret])


def png(data: str, *, box_size: int = 8) -> bytes:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=2)
    code.add_data(data)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()
