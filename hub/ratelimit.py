"""Fixed-window rate limits kept in the shared cache (Redis in production)."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(scope: str, identity: str) -> str:
    return f"ratelimit:{scope}:{hashlib.sha256(identity.encode()).hexdigest()[:32]}"


def hit(scope: str, identity: str, *, limit: int, window: int) -> bool:
    """Count one event for ``identity``; True while it stays within ``limit`` per ``window`` seconds."""
    return count(scope, identity, window=window) <= limit


def count(scope: str, identity: str, *, window: int) -> int:
    """Count one event for ``identity`` and return how many its current ``window`` holds."""
    key = _key(scope, identity)
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def is_limited(scope: str, identity: str, *, limit: int) -> bool:
    return cache.get(_key(scope, identity), 0) >= limit


def reset(scope: str, identity: str) -> None:
    cache.delete(_key(scope, identity))


def client_ip(request) -> str:
    """The caller's address; behind ``NUM_PROXIES`` trusted proxies, the one they saw.

    Each proxy appends the address it saw to ``X-Forwarded-For``, so only the last ``NUM_PROXIES``
    entries are theirs: whatever the client sent itself comes before them and is never read. A request
    without the header did not come through the proxies (the container's own health check).
    """
    proxies = settings.NUM_PROXIES
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if proxies and len(forwarded) >= proxies and forwarded[-proxies]:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
