"""Test helpers."""

import threading

import pytest
from django.db import connection

from hub.models import User

from .servers import SmtpSink, WebhookReceiver, free_port

__all__ = ["SmtpSink", "WebhookReceiver", "free_port", "make_user", "requires_postgres", "run_concurrently"]

requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: run with DATABASE_URL (see .ci/run)"
)


def make_user(username: str, *roles: str, password: str = "correct-horse-battery", **fields) -> User:
    fields.setdefault("email", f"{username}@example.org")
    user = User.objects.create_user(username=username, password=password, **fields)
    for role in roles:
        user.role_assignments.create(role=role)
    return user


def run_concurrently(func, count: int, timeout: float = 120) -> list:
    """Run ``func()`` in ``count`` threads released at the same instant; return their results.

    Each thread closes its own database connection; an exception in any thread fails the caller.
    """
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(func())
        except Exception as exc:  # re-raised in the caller
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if errors:
        raise errors[0]
    assert len(results) == count, "a thread did not finish in time"
    return results
