"""How each channel leaves the machine: SMTP (Django's email backend), the SMS gateway, signed HTTPS."""

import contextlib
import hashlib
import smtplib
from email.mime.base import MIMEBase
from email.mime.image import MIMEImage
from urllib.parse import urlsplit

import urllib3
from anymail.exceptions import AnymailError, AnymailRecipientsRefused
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils import timezone

from hub import sms
from hub.models import Channel, OutboundMessage

from .webhooks import DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, resolve_public_target, sign


class DeliveryError(Exception):
    """One message could not be sent; ``permanent`` when retrying cannot help."""

    def __init__(self, message: str, *, permanent: bool = False, opted_out: bool = False):
        super().__init__(message)
        self.permanent = permanent
        self.opted_out = opted_out


def message_id(message: OutboundMessage) -> str:
    """A Message-ID stable across retries, so that receivers can drop a duplicate."""
    digest = hashlib.sha256(message.idempotency_key.encode()).hexdigest()[:16]
    domain = urlsplit(settings.SITE_URL).hostname or "guichet.localhost"
    return f"<{message.pk}.{digest}@{domain}>"


def build_email(message: OutboundMessage, connection) -> EmailMultiAlternatives:
    options = message.options
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body,
        from_email=options.get("from") or settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        reply_to=options.get("reply_to") or None,
        headers={"Message-ID": message_id(message), **options.get("headers", {})},
        connection=connection,
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    for attachment in message.attachments.all():
        content = bytes(attachment.content)
        if attachment.inline_id:
            maintype, _, subtype = attachment.content_type.partition("/")
            part = (
                MIMEImage(content, _subtype=subtype) if maintype == "image" else MIMEBase(maintype, subtype)
            )
            part.add_header("Content-ID", f"<{attachment.inline_id}>")
            part.add_header("Content-Disposition", "inline", filename=attachment.filename)
            email.attach(part)
            email.mixed_subtype = "related"
        else:
            email.attach(attachment.filename, content, attachment.content_type)
    return email


class EmailTransport:
    """One SMTP connection for a whole batch; if the server cannot be reached, the batch fails fast."""

    def __init__(self):
        self.connection = None
        self.unreachable: DeliveryError | None = None

    def _open(self):
        if self.unreachable:
            raise self.unreachable
        if self.connection is None:
            connection = get_connection(fail_silently=False)
            try:
                connection.open()
            except (OSError, smtplib.SMTPException) as exc:
                self.unreachable = DeliveryError(f"mail server unreachable: {exc!r}")
                raise self.unreachable from exc
            self.connection = connection
        return self.connection

    def send(self, message: OutboundMessage) -> str:
        """Send one email; the provider's id for it (an HTTP API through anymail) or its Message-ID."""
        connection = self._open()
        email = build_email(message, connection)
        try:
            connection.send_messages([email])
        except AnymailRecipientsRefused as exc:
            raise DeliveryError(f"recipient refused: {exc}", permanent=True) from exc
        except AnymailError as exc:  # the provider's API failed or refused: try again later
            raise DeliveryError(f"email provider error: {exc}") from exc
        except smtplib.SMTPRecipientsRefused as exc:
            permanent = all(code >= 500 for code, _ in exc.recipients.values())
            raise DeliveryError(f"recipient refused: {exc.recipients}", permanent=permanent) from exc
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self.close()  # the next message opens a new connection
            raise DeliveryError(f"connection lost: {exc!r}") from exc
        except smtplib.SMTPException as exc:
            raise DeliveryError(f"mail server error: {exc!r}") from exc
        status = getattr(email, "anymail_status", None)
        return (status and status.message_id) or message_id(message)

    def close(self):
        if self.connection is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self.connection.close()
            self.connection = None


class SmsTransport:
    def __init__(self):
        self.backend = sms.get_backend()

    def send(self, message: OutboundMessage) -> str:
        try:
            return self.backend.send(to=message.recipient, body=message.body)
        except sms.SmsError as exc:
            raise DeliveryError(str(exc), permanent=exc.permanent, opted_out=exc.opted_out) from exc

    def close(self):
        pass


class WebhookTransport:
    """POST the JSON body, signed, to the address checked by the SSRF guard; redirects are not followed."""

    def send(self, message: OutboundMessage) -> str:
        try:
            target = resolve_public_target(message.recipient)
        except ValidationError as exc:
            raise DeliveryError(" ".join(exc.messages), permanent=True) from exc
        body = message.body.encode()
        timestamp = str(int(timezone.now().timestamp()))
        default_port = 443 if target.scheme == "https" else 80
        host = f"[{target.host}]" if ":" in target.host else target.host
        headers = {
            "Host": host if target.port == default_port else f"{host}:{target.port}",
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Guichet-Webhooks/1.0",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(message.secret, timestamp, body),
            DELIVERY_HEADER: str(message.pk),
        }
        if message.options.get("event"):
            headers["X-Guichet-Event"] = message.options["event"]
        timeout = urllib3.Timeout(connect=5.0, read=settings.WEBHOOK_TIMEOUT_SECONDS)
        if target.scheme == "https":
            pool = urllib3.HTTPSConnectionPool(
                target.address,
                target.port,
                timeout=timeout,
                retries=False,
                server_hostname=target.host,
                assert_hostname=target.host,
                cert_reqs="CERT_REQUIRED",
            )
        else:
            pool = urllib3.HTTPConnectionPool(target.address, target.port, timeout=timeout, retries=False)
        try:
            response = pool.urlopen(
                "POST", target.path, body=body, headers=headers, redirect=False, preload_content=False
            )
            response.drain_conn()
        except urllib3.exceptions.HTTPError as exc:
            raise DeliveryError(f"webhook unreachable: {exc!r}") from exc
        finally:
            pool.close()
        if 200 <= response.status < 300:
            return f"HTTP {response.status}"
        permanent = 300 <= response.status < 500 and response.status not in (408, 425, 429)
        raise DeliveryError(f"webhook answered HTTP {response.status}", permanent=permanent)

    def close(self):
        pass


TRANSPORTS = {Channel.EMAIL: EmailTransport, Channel.SMS: SmsTransport, Channel.WEBHOOK: WebhookTransport}


def transport_for(channel: str):
    return TRANSPORTS[channel]()
