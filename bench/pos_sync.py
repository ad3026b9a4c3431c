"""Box-office sync under load: stations back online push their offline queues at once.

    .venv/bin/python bench/pos_sync.py [--stations 4] [--sales 500] [--batch 50] [--workers 2] [--threads 2]

gunicorn over PostgreSQL and Redis. One event with 100 tickets sold online and room for ``stations × sales -
OVER`` more, so the last ``OVER`` sales to arrive no longer fit: they must be kept as conflicts (409), not
lost and not oversold. Each station (its own device token and keep-alive connection) sends its queue of
``sales`` one-ticket sales as a station back online does, ``--batch`` at a time through
``/api/v1/pos/sales/batch/`` (``--batch 1``: one request per sale on ``/api/v1/pos/sales/``), all stations
at once; then every queue is sent again (a station that did not hear the answers): nothing may change.
Finally the database is read back.

Prints one JSON report with ``sales``, ``lost`` (a sale with neither an order nor a conflict row),
``duplicated`` (a sale recorded twice, or with more tickets than sold), ``oversold`` (seats taken beyond
capacity) and ``sales_per_s`` (first pass). Target: 0 lost, 0 duplicated, 0 oversold, >= 200 sales/s.
"""

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import Client, latency_report, manage, migrated_env, start_gunicorn  # noqa: E402

PATH = "/api/v1/pos/sales/"
BATCH_PATH = "/api/v1/pos/sales/batch/"
ONLINE = 100  # tickets sold online before the stations come back
OVER = 40  # sales that arrive after the event is full


async def push(port: int, token: str, queue: list[dict], batch: int) -> tuple[list[float], dict[int, int]]:
    """Send ``queue``; the latency of each request, and how many sales got each status."""
    client, latencies, statuses = Client(port, {"Authorization": f"Bearer {token}"}), [], {}
    for start in range(0, len(queue), batch):
        sales = queue[start : start + batch]
        started = time.perf_counter()
        if batch == 1:
            status, _body = await client.call("POST", PATH, sales[0])
            codes = [status]
        else:
            status, body = await client.call("POST", BATCH_PATH, {"sales": sales})
            codes = [result["code"] for result in json.loads(body)["results"]] if status == 200 else [status]
        latencies.append(time.perf_counter() - started)
        for code in codes:
            statuses[code] = statuses.get(code, 0) + 1
    return latencies, statuses


async def all_at_once(port: int, tokens: list[str], queues: list[list[dict]], batch: int) -> dict:
    started = time.perf_counter()
    results = await asyncio.gather(
        *(push(port, token, queue, batch) for token, queue in zip(tokens, queues, strict=True))
    )
    elapsed = time.perf_counter() - started
    statuses: dict[int, int] = {}
    for _latencies, counts in results:
        for status, n in counts.items():
            statuses[status] = statuses.get(status, 0) + n
    sales = sum(statuses.values())
    return {
        "sales_per_s": round(sales / elapsed, 1),
        "requests": latency_report([x for latencies, _ in results for x in latencies], elapsed),
        "statuses": statuses,
    }


READ_BACK = """
import json
from django.db.models import Count
from ticketing import selectors
from ticketing.models import CounterSale, Event, Ticket
event = Event.objects.get(pk={event})
sales = CounterSale.objects.filter(event=event)
print(json.dumps({{
    "rows": sales.count(),
    "distinct_uuids": sales.values("client_uuid").distinct().count(),
    "by_status": dict(sales.values_list("status").annotate(n=Count("id")).order_by()),
    "synced_without_order": sales.filter(status="synced", order__isnull=True).count(),
    "counter_tickets": Ticket.objects.filter(order__counter_sale__event=event).count(),
    "seats_taken": sum(selectors.seats_taken(event).values()),
    "capacity": event.capacity,
}}))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=4)
    parser.add_argument("--sales", type=int, default=500, help="offline sales queued per station")
    parser.add_argument(
        "--batch", type=int, default=50, help="sales per request (1: the single-sale endpoint)"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2, help="gunicorn gthread threads per worker")
    args = parser.parse_args()
    total = args.stations * args.sales

    env = migrated_env()
    fixture = Path(tempfile.mkdtemp(prefix="pos-bench-"))
    capacity = ONLINE + total - OVER
    manage(
        env,
        "bench_fixture",
        *("--tickets", str(ONLINE), "--capacity", str(capacity), "--stations", str(args.stations)),
        *("--out", str(fixture)),
        stdout=subprocess.DEVNULL,
    )
    target = json.loads((fixture / "target.json").read_text())
    sold_at = datetime.now(UTC).isoformat()
    queues = [
        [
            {
                "uuid": str(uuid.uuid4()),
                "event": target["event_id"],
                "sold_at": sold_at,
                "method": "cash",
                "cash_tendered": "30.00",
                "lines": [{"category": target["category_id"], "quantity": 1}],
                "language": "fr",
            }
            for _ in range(args.sales)
        ]
        for _station in range(args.stations)
    ]

    server, port = start_gunicorn(env, workers=args.workers, threads=args.threads)
    try:
        first = asyncio.run(all_at_once(port, target["stations"], queues, args.batch))
        again = asyncio.run(all_at_once(port, target["stations"], queues, args.batch))
    finally:
        server.terminate()
        server.wait(timeout=20)
    read = manage(
        env, "shell", "-c", READ_BACK.format(event=target["event_id"]), capture_output=True, text=True
    )
    stored = json.loads(read.stdout.strip().splitlines()[-1])

    by_status = stored["by_status"]
    synced = by_status.get("synced", 0)
    report = {
        "benchmark": "pos_sync",
        "server": f"gunicorn {args.workers} workers × {args.threads} threads (gthread), PostgreSQL, Redis",
        "stations": args.stations,
        "sales": total,
        "sales_per_request": args.batch,
        "capacity_left_for_them": total - OVER,
        "first_pass": first,
        "replay_pass": again,
        "stored": stored,
        "lost": total - stored["distinct_uuids"],
        "duplicated": (stored["rows"] - stored["distinct_uuids"]) + (stored["counter_tickets"] - synced),
        "oversold": max(stored["seats_taken"] - stored["capacity"], 0),
        "conflicts": by_status.get("conflict", 0),
        "replay_answered_as_before": again["statuses"] == {200: synced, 409: total - synced},
        "sales_per_s": first["sales_per_s"],
        "target": {"lost": 0, "duplicated": 0, "oversold": 0, "sales_per_s": 200},
    }
    report["pass"] = (
        report["lost"] == 0
        and report["duplicated"] == 0
        and report["oversold"] == 0
        and stored["synced_without_order"] == 0
        and report["conflicts"] == OVER
        and report["replay_answered_as_before"]
        and report["sales_per_s"] >= 200
    )
    print(json.dumps(report, indent=2))
    sys.exit(0 if report["pass"] else 1)


if __name__ == "__main__":
    main()
