"""Incident fan-out: one incident, 10,000 email subscribers, delivered by 2 Celery worker processes.

    .venv/bin/python bench/fanout.py [--subscribers 10000] [--workers 2]

On the production stack (PostgreSQL and Redis, as bench/outbox.py). The incident is opened through the
status service as an operator would; after commit a Celery task fans it out through the outbox in chunks,
and the workers deliver to a real aiosmtpd server on loopback, which counts every Message-ID. Another
1,000 subscribers follow a component the incident does not touch and must get nothing. Prints one JSON
report. Target: all 10,000 delivered within 60 s of the incident, 0 duplicates, nobody else written to.
"""

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import mail_bench_setup, start_celery_worker, wait_for_delivery, wait_for_worker  # noqa: E402

DOMAIN = "fanout.bench.example.org"
OUTSIDERS = 1_000


def prepare(count: int):
    """Fresh bench subscribers: half follow every component, half the POS; the outsiders follow the API."""
    from django.utils import timezone

    from hub.models import OutboundMessage, Role
    from hub.permissions import has_role
    from statuspage.models import Component, Subscriber

    OutboundMessage.objects.filter(recipient__endswith="@" + DOMAIN).delete()
    Subscriber.objects.filter(address__endswith="@" + DOMAIN).delete()
    pos, _ = Component.objects.get_or_create(slug="pos", defaults={"name_fr": "Caisse (POS)"})
    api, _ = Component.objects.get_or_create(slug="api", defaults={"name_fr": "API"})
    now = timezone.now()
    languages = ("fr", "de", "en")
    readers = Subscriber.objects.bulk_create(
        Subscriber(
            channel="email", address=f"reader{i}@{DOMAIN}", language=languages[i % 3], confirmed_at=now
        )
        for i in range(count + OUTSIDERS)
    )
    links = Subscriber.components.through
    links.objects.bulk_create(
        [links(subscriber_id=s.pk, component_id=pos.pk) for s in readers[: count // 2]]
        + [links(subscriber_id=s.pk, component_id=api.pk) for s in readers[count:]]
    )
    from django.contrib.auth import get_user_model

    operator, created = get_user_model().objects.get_or_create(username="fanout-bench-operator")
    if created or not has_role(operator, Role.OPERATOR):
        operator.role_assignments.create(role=Role.OPERATOR)
    return operator, pos


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes")
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()

    sink, env = mail_bench_setup()
    from django.db import connection
    from django.db.models import Count

    from hub.celery import app as celery_app
    from hub.models import OutboundMessage
    from statuspage import services

    operator, pos = prepare(args.subscribers)
    celery_app.control.purge()
    sink.start()
    worker = start_celery_worker(env, processes=args.workers)
    try:
        wait_for_worker(celery_app)
        started = time.perf_counter()
        incident = services.create_incident(  # commits; the fan-out task leaves after commit
            actor=operator,
            name="Caisses lentes (bench)",
            status="investigating",
            impact="minor",
            body="Les encaissements sont lents ; la réservation en ligne fonctionne.",
            components={pos: "partial_outage"},
        )
        committed = time.perf_counter()
        total = wait_for_delivery(
            sink, args.subscribers, since=committed, timeout=args.timeout, recipient_suffix="@" + DOMAIN
        )
        ids = sink.message_ids("@" + DOMAIN)  # the demo data may hold a few other subscribers
        rows = OutboundMessage.objects.filter(recipient__endswith="@" + DOMAIN)
        per_recipient = rows.values("recipient").annotate(n=Count("id")).filter(n__gt=1).count()
        outsiders = rows.filter(
            recipient__in=[
                f"reader{i}@{DOMAIN}" for i in range(args.subscribers, args.subscribers + OUTSIDERS)
            ]
        ).count()
        statuses = dict(rows.values_list("status").annotate(n=Count("id")).order_by())
        unique = len(set(ids))
        report = {
            "benchmark": "fanout",
            "subscribers": args.subscribers,
            "outsiders": OUTSIDERS,
            "worker_processes": args.workers,
            "database": connection.vendor,
            "broker": "redis",
            "incident_seconds": round(committed - started, 3),
            "delivered": unique,
            "delivered_seconds": round(total, 3),
            "messages_per_second": round(unique / total, 1) if total else None,
            "duplicates": len(ids) - unique,
            "recipients_written_twice": per_recipient,
            "outsiders_written_to": outsiders,
            "lost": args.subscribers - unique,
            "outbox_rows": statuses,
            "target": {"delivered_seconds": 60, "duplicates": 0, "lost": 0},
        }
        report["pass"] = (
            unique == args.subscribers
            and total <= 60
            and report["duplicates"] == 0
            and per_recipient == 0
            and outsiders == 0
        )
        print(json.dumps(report, indent=2))
        services.post_update(
            actor=operator, incident=incident, status="resolved", body="Fin du bench.", notify=False
        )
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        sink.stop()


if __name__ == "__main__":
    main()
