"""Liveness and readiness checks for load balancers, compose health checks and monitors."""

import ipaddress
import uuid

from django.core.cache import cache
from django.db import connection

from .celery import app as celery_app
from .permissions import Role, has_role
from .ratelimit import client_ip


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key, value = "healthz:probe", uuid.uuid4().hex
    cache.set(key, value, 10)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not return what was stored")


def check_broker() -> None:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker}


def readiness() -> tuple[bool, dict[str, str]]:
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # any failure means "not ready"; the message says which and why
            results[name] = f"error: {exc.__class__.__name__}: {exc}"[:300]
        else:
            results[name] = "ok"
    return all(value == "ok" for value in results.values()), results


def shows_details_to(request) -> bool:
    """Which check failed and why is for this machine (health checks, a shell) and signed-in operators."""
    try:
        loopback = ipaddress.ip_address(client_ip(request)).is_loopback
    except ValueError:
        loopback = False
    return loopback or has_role(request.user, Role.OPERATOR)
