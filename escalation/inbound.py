"""Replies by email (C10): matched to their request by the per-request reply address
(``support+<token>@SUPPORT_REPLY_DOMAIN``), quoted text stripped, attachments checked like uploads."""

import logging
import re
from email.utils import getaddresses

from django.conf import settings
from django.core.exceptions import ValidationError

from .attachments import check_file
from .models import SupportRequest
from .services import requester

logger = logging.getLogger(__name__)

# A line that introduces the quoted message, in the languages of the desk and the usual clients.
QUOTE_HEADER = re.compile(
    "|".join(
        [
            r"^\s*On .{0,200}wrote:\s*$",
            r"^\s*Le .{0,200}a écrit\s?:\s*$",
            r"^\s*Am .{0,200}schrieb .{0,200}:\s*$",
            r"^\s*-{2,}\s*(Original Message|Message d'origine|Ursprüngliche Nachricht)\s*-{2,}\s*$",
            r"^\s*(From|De|Von)\s?: .+$",
        ]
    ),
    re.IGNORECASE,
)


def strip_quoted(text: str) -> str:
    """The new part of a reply: up to the first quote header or the first run of "> " lines."""
    kept = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if QUOTE_HEADER.match(line) or line.lstrip().startswith(">"):
            break
        kept.append(line)
    return "\n".join(kept).strip()


def _token(message) -> str | None:
    addresses = [message.envelope_recipient or ""] + [
        a for _, a in getaddresses(message.get_all("To", []) + message.get_all("Cc", []))
    ]
    pattern = re.compile(rf"^support\+([\w-]+)@{re.escape(settings.SUPPORT_REPLY_DOMAIN)}$", re.IGNORECASE)
    for address in addresses:
        if found := pattern.match(address.strip()):
            return found.group(1)
    return None


def receive(message) -> bool:
    """Add the email to its request; False (and logged) when no request matches."""
    token = _token(message)
    request = SupportRequest.objects.filter(reply_token=token).first() if token else None
    if request is None:
        logger.warning("inbound email matched no support request (to %s)", message.envelope_recipient)
        return False
    body = message.stripped_text or strip_quoted(message.text or "")
    files = []
    for attachment in message.attachments[:5]:
        try:
            files.append(check_file(attachment.get_filename() or "file", attachment.get_content_bytes()))
        except ValidationError:
            logger.info("inbound attachment refused on %s", request.reference)
    sender = message.from_email.addr_spec if message.from_email else ""
    try:
        requester.add_message(
            actor=None, request_id=request.pk, body=body, files=files, via="email", author_label=sender
        )
    except ValidationError as error:
        logger.info("inbound email not added to %s: %s", request.reference, error.messages)
        return False
    return True
