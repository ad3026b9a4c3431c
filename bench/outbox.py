"""Outbox throughput: enqueue N emails, deliver them with real Celery workers to a local SMTP sink.

    .venv/bin/python bench/outbox.py [--messages 10000] [--workers 2]

Runs on the production stack: PostgreSQL and Redis from DATABASE_URL / REDIS_URL, or the machine's
local servers by default (database ``guichet_bench``, created and migrated if needed). A real
aiosmtpd server on loopback counts every message by its Message-ID. Prints one JSON report.
Target: >= 500 messages/s with 2 worker processes, 0 duplicates, 0 lost.
"""

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.servers import SmtpSink, free_port  # noqa: E402  (a real aiosmtpd server)


def configure(smtp_port: int) -> dict:
    env = {
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/guichet_bench"),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1"),
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key"),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "DJANGO_SETTINGS_MODULE": "hub.settings",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    return env


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[-1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes")
    parser.add_argument("--enqueue-batch", type=int, default=500, help="messages per enqueuing transaction")
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()

    sink = SmtpSink(free_port(), keep_messages=False)
    env = configure(sink.port)
    if env["DATABASE_URL"].startswith("postgres"):
        ensure_database(env["DATABASE_URL"])

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from hub import messaging
    from hub.celery import app as celery_app
    from hub.models import MessageStatus, OutboundMessage

    call_command("migrate", verbosity=0)
    OutboundMessage.objects.filter(idempotency_key__startswith="bench-").delete()
    celery_app.control.purge()
    sink.start()

    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "hub",
            "worker",
            "--loglevel=WARNING",
            f"--concurrency={args.workers}",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env={**os.environ},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while celery_app.control.ping(timeout=0.5) == [] and time.monotonic() < deadline:
            time.sleep(0.5)

        run = f"bench-{int(time.time())}"
        started = time.perf_counter()
        for start in range(0, args.messages, args.enqueue_batch):
            with transaction.atomic():
                messaging.enqueue_emails(
                    {
                        "to": f"guest{i}@example.org",
                        "subject": f"Incident update #{i}",
                        "body": "Hello,\n\nthe point of sale is slow; online booking works.\n",
                        "idempotency_key": f"{run}-{i}",
                    }
                    for i in range(start, min(start + args.enqueue_batch, args.messages))
                )
        enqueued = time.perf_counter()

        last_count, last_change = 0, time.perf_counter()
        while time.perf_counter() - started < args.timeout:
            count = len(sink.ids)
            if count != last_count:
                last_count, last_change = count, time.perf_counter()
            if count >= args.messages:
                break
            time.sleep(0.05)
        delivered = last_change
        time.sleep(3)  # anything sent twice would arrive now

        ids = sink.message_ids()
        unique = len(set(ids))
        statuses = dict(
            OutboundMessage.objects.filter(idempotency_key__startswith=run)
            .values_list("status")
            .annotate(n=django.db.models.Count("id"))
            .order_by()
        )
        total = delivered - started
        report = {
            "benchmark": "outbox",
            "messages": args.messages,
            "worker_processes": args.workers,
            "database": connection.vendor,
            "broker": "redis" if os.environ["REDIS_URL"] else "filesystem",
            "enqueue_seconds": round(enqueued - started, 3),
            "enqueue_per_second": round(args.messages / (enqueued - started), 1),
            "end_to_end_seconds": round(total, 3),
            "messages_per_second": round(unique / total, 1),
            "received": len(ids),
            "duplicates": len(ids) - unique,
            "lost": args.messages - unique,
            "rows_sent": statuses.get(MessageStatus.SENT, 0),
            "target": {"messages_per_second": 500, "duplicates": 0, "lost": 0},
        }
        report["pass"] = (
            report["messages_per_second"] >= 500 and report["duplicates"] == 0 and report["lost"] == 0
        )
        print(json.dumps(report, indent=2))
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        sink.stop()
        OutboundMessage.objects.filter(idempotency_key__startswith="bench-").delete()


if __name__ == "__main__":
    threading.current_thread().name = "bench"
    main()
