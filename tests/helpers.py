"""Test helpers."""

import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

from hub.models import User

from .servers import SmtpSink, WebhookReceiver, free_port

__all__ = [
    "SmtpSink",
    "WebhookReceiver",
    "free_port",
    "gunicorn_without_database",
    "make_user",
    "requires_postgres",
    "run_concurrently",
]

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


@contextmanager
def gunicorn_without_database(var: Path):
    """A real gunicorn (one worker) whose database nobody listens on, with no Redis: its cache and snapshot
    files are in ``var``. Yields ``read(path)``, which waits for the server and returns a 200's text (an
    error status raises ``urllib.error.HTTPError``)."""
    port = free_port()
    outside = ("REDIS_URL", "DJANGO_SETTINGS_MODULE")
    env = {key: value for key, value in os.environ.items() if key not in outside}
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/gone",
        SECRET_KEY="test-only-secret-key-for-the-outage-test",
        GUICHET_VAR_DIR=str(var),
        DEBUG="0",
        LOG_LEVEL="CRITICAL",
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "hub.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )

    def read(path: str) -> str:
        deadline = time.monotonic() + 90  # generous: the first request loads the app, on 2 busy cores
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
                    assert response.status == 200
                    return response.read().decode()
            except urllib.error.HTTPError:
                raise
            except OSError:
                if server.poll() is not None:
                    pytest.fail("gunicorn stopped: " + server.stderr.read().decode()[-2000:])
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    try:
        yield read
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
