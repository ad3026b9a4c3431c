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
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import mail_bench_setup, start_celery_worker, wait_for_delivery, wait_for_worker  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes")
    parser.add_argument("--enqueue-batch", type=int, default=500, help="messages per enqueuing transaction")
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()

    sink, env = mail_bench_setup()
    import django
    from django.db import connection, transaction

    from hub import messaging
    from hub.celery import app as celery_app
    from hub.models import MessageStatus, OutboundMessage

    OutboundMessage.objects.filter(idempotency_key__startswith="bench-").delete()
    celery_app.control.purge()
    sink.start()

    worker = start_celery_worker(env, processes=args.workers)
    try:
        wait_for_worker(celery_app)

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

        total = wait_for_delivery(sink, args.messages, since=started, timeout=args.timeout)
        ids = sink.message_ids()
        unique = len(set(ids))
        statuses = dict(
            OutboundMessage.objects.filter(idempotency_key__startswith=run)
            .values_list("status")
            .annotate(n=django.db.models.Count("id"))
            .order_by()
        )
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
