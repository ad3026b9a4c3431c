"""Outgoing webhooks: the signature receivers check, and the guard that keeps them off internal hosts.

Every request carries::

    X-Guichet-Timestamp: <unix seconds>
    X-Guichet-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>" keyed with the endpoint secret>
    X-Guichet-Delivery: <message id, the same on every retry>

A receiver recomputes the HMAC over the timestamp, a dot and the raw body, compares in constant time,
and rejects timestamps older than a few minutes.
"""

import hashlib
import hmac
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SIGNATURE_HEADER = "X-Guichet-Signature"
TIMESTAMP_HEADER = "X-Guichet-Timestamp"
DELIVERY_HEADER = "X-Guichet-Delivery"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"v1={digest}"


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # the name, for the Host header and TLS
    address: str  # the checked IP address the connection goes to
    port: int
    path: str


def _allowed(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if any(ip in ipaddress.ip_network(net) for net in settings.WEBHOOK_ALLOWED_NETWORKS):
        return True
    return ip.is_global and not ip.is_multicast


def check_form(url: str) -> tuple[SplitResult, int]:
    """The parts and port of a well-formed http(s) address, without looking its host up."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(_("Enter a full http:// or https:// address."), code="scheme")
    if parts.username or parts.password:
        raise ValidationError(
            _("Webhook addresses may not contain a user name or password."), code="userinfo"
        )
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise ValidationError(_("The port of this address is not valid."), code="port") from exc
    return parts, port


def resolve_public_target(url: str) -> Target:
    """Parse ``url`` and resolve its host; refuse anything that is not a public http(s) address.

    Every address the name resolves to must be public, and the caller connects to the checked address,
    so a DNS answer that changes between check and use cannot redirect the request inside.
    """
    parts, port = check_form(url)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ValidationError(_("The host name of this address cannot be resolved."), code="dns") from exc
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not addresses or not all(_allowed(ip) for ip in addresses):
        raise ValidationError(_("Webhooks can only be sent to public internet addresses."), code="private")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(parts.scheme, parts.hostname, str(addresses[0]), port, path)
