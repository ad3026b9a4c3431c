"""Test helpers."""

import pytest
from django.db import connection

from hub.models import User

from .servers import SmtpSink, WebhookReceiver, free_port

__all__ = ["SmtpSink", "WebhookReceiver", "free_port", "make_user", "requires_postgres"]

requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: run with DATABASE_URL (see .ci/run)"
)


def make_user(username: str, *roles: str, password: str = "correct-horse-battery", **fields) -> User:
    user = User.objects.create_user(
        username=username, password=password, email=f"{username}@example.org", **fields
    )
    for role in roles:
        user.role_assignments.create(role=role)
    return user
