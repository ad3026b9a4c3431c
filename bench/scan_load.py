"""Door scanning under load: the scan API on gunicorn as the Docker image runs it, PostgreSQL, 20,000 tickets.

    .venv/bin/python bench/scan_load.py [--tickets 20000] [--gunicorn "--workers 2 --threads 4 …"]

A closed-loop client on loopback (asyncio, keep-alive connections) sends scans, each of a ticket not
scanned before, at concurrency 1, 4 and 16 and reports throughput and p50/p95/p99. Each scan phase is
framed by the trivial view (``GET /healthz/live``, same connections, same concurrency) just before and
just after it: ``ratio_to_trivial`` is the scan rate over the mean of those two, what the same server
answers when the view does nothing. ``statements_per_scan`` is what PostgreSQL counted during the phase
(``xact_commit``: each statement on the scan path commits on its own) over the scans (token look-ups
included: a worker remembers a token for 2 s).
Then a race phase: 300 tickets, each entered 2 to 4 times at the same instant with its own nonce (exactly
one ``admitted`` per ticket expected), and a re-entry phase (exit pass, then entry). Last, mixed load: 16
scanners let people out and back in while 20 staff pages poll Scan-On-Air of the same event every few
seconds (as htmx does, signed in). Prints one JSON report.
Target on this 2-core machine: at concurrency 16 scans/s >= 60 % of the trivial view's, p99 < 25 ms,
every scan answered; mixed load: scan p99 < 50 ms, Scan-On-Air p95 < 200 ms.
"""

import argparse
import asyncio
import itertools
import json
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    Client,
    dockerfile_gunicorn_options,
    latency_report,
    manage,
    migrated_env,
    start_gunicorn,
)

PATH = "/api/v1/checkin/scan/"
TRIVIAL = "/healthz/live"
OK = {"admitted", "exited"}  # the answers of a scan that did what it was asked


class ScanClient(Client):
    """A scanner app's connection: posts scans with its device token, each attempt with its own nonce."""

    def __init__(self, port: int, token: str):
        super().__init__(port, {"Authorization": f"Bearer {token}"})

    def request(self, secret: str, direction: str = "entry") -> bytes:
        return self.encode(
            "POST", PATH, {"secret": secret, "direction": direction, "nonce": uuid.uuid4().hex}
        )

    async def answer(self) -> tuple[int, dict]:
        status, body = await self.receive()
        return status, json.loads(body) if body else {}

    async def scan(self, secret: str, direction: str = "entry") -> tuple[int, dict]:
        await self.send(self.request(secret, direction))
        return await self.answer()


async def closed_loop(port, token, secrets, concurrency, direction="entry", *, until=None):
    """``concurrency`` scanners take the next of ``secrets`` as soon as they have their answer; with
    ``until`` (perf_counter), they stop then. A direction ``"exit+entry"`` lets each holder out and in."""
    queue = iter(secrets)
    directions = direction.split("+")
    latencies, results, errors = [], {}, 0

    async def worker():
        nonlocal errors
        client = ScanClient(port, token)
        for secret in queue:
            for way in directions:
                started = time.perf_counter()
                try:
                    status, body = await client.scan(secret, way)
                except (OSError, asyncio.IncompleteReadError):
                    errors += 1
                    client = ScanClient(port, token)
                    continue
                latencies.append(time.perf_counter() - started)
                key = body.get("result", f"http {status}")
                results[key] = results.get(key, 0) + 1
            if until and time.perf_counter() > until:
                return

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    report = latency_report(latencies, elapsed)
    report["scans_per_second"] = report.pop("per_second")
    return {
        "concurrency": concurrency,
        **report,
        "results": results,
        "errors": errors,
        "client_cpu_cores": round(cpu / elapsed, 2),  # what the load generator itself took from 2 cores
    }


async def trivial(port, requests, concurrency):
    """``requests`` calls of the trivial view on ``concurrency`` keep-alive connections, as the scanners."""
    queue = iter(range(requests))
    latencies, statuses = [], {}

    async def worker():
        client = Client(port)
        for _ in queue:
            started = time.perf_counter()
            status, _body = await client.call("GET", TRIVIAL)
            latencies.append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return {**latency_report(latencies, time.perf_counter() - started), "statuses": statuses}


def analyze(env) -> None:
    """Fresh planner statistics, as autovacuum would have them for tickets sold over weeks."""
    import psycopg

    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
        conn.execute("ANALYZE")


class Statements:
    """Transactions PostgreSQL commits in the bench database: each statement on the scan path commits on its
    own, so over a phase they count its statements. A backend idle after its work reports them within 10 s."""

    SETTLE = 11

    def __init__(self, env):
        import psycopg

        self.url = env["DATABASE_URL"]
        self.conn = psycopg.connect(self.url, autocommit=True)

    async def count(self) -> int:
        await asyncio.sleep(self.SETTLE)
        query = "SELECT xact_commit FROM pg_stat_database WHERE datname = %s"
        return self.conn.execute(query, [self.url.rsplit("/", 1)[-1]]).fetchone()[0]


async def scan_phase(port, token, secrets, concurrency, statements):
    """Scans of ``secrets`` at ``concurrency``, framed by as many calls of the trivial view."""
    counted = await statements.count()
    before = await trivial(port, len(secrets), concurrency)
    phase = await closed_loop(port, token, secrets, concurrency)
    after = await trivial(port, len(secrets), concurrency)  # runs no statement
    transactions = await statements.count() - counted - 1  # the first count's own
    rate = (before["per_second"] + after["per_second"]) / 2
    return {
        **phase,
        "statements_per_scan": round(transactions / phase["requests"], 3),
        "trivial_per_second": round(rate, 1),
        "ratio_to_trivial": round(phase["scans_per_second"] / rate, 3),
        "trivial": {"before": before, "after": after},
    }


async def race(port, token, secrets):
    """Each ticket entered 2, 3 or 4 times at once on as many connections, each with its own nonce."""
    double, missing, requests = 0, 0, 0
    for index, secret in enumerate(secrets):
        copies = 2 + index % 3
        clients = [ScanClient(port, token) for _ in range(copies)]
        await asyncio.gather(*(c.connect() for c in clients))
        payloads = [c.request(secret) for c in clients]
        for client, payload in zip(clients, payloads, strict=True):  # all requests leave before any answer
            client.writer.write(payload)
        await asyncio.gather(*(c.writer.drain() for c in clients))
        answers = await asyncio.gather(*(c.answer() for c in clients))
        for client in clients:
            if client.writer:
                client.writer.close()
        admitted = sum(1 for _, body in answers if body.get("result") == "admitted")
        double += admitted > 1
        missing += admitted == 0
        requests += copies
    return {
        "tickets": len(secrets),
        "requests": requests,
        "tickets_admitted_twice": double,
        "tickets_never_admitted": missing,
        "exactly_one_admission_each": double == 0 and missing == 0,
    }


async def poll_scan_on_air(port, cookie, path, every, until, offset):
    """One staff member's Scan-On-Air page refreshing itself every ``every`` seconds (htmx, signed in), on
    a new connection each time (the server closes idle ones after 2 s)."""
    latencies, statuses = [], {}
    await asyncio.sleep(offset)
    while time.perf_counter() < until:
        started = time.perf_counter()
        client = Client(port, {"Cookie": cookie, "HX-Request": "true"})
        status, _body = await client.call("GET", path)
        client.writer.close()
        latencies.append(time.perf_counter() - started)
        statuses[status] = statuses.get(status, 0) + 1
        await asyncio.sleep(max(0.0, every - (time.perf_counter() - started)))
    return latencies, statuses


async def mixed(port, token, inside, target, *, seconds, every):
    """16 scanners let the holders of ``inside`` out and back in while each staff member of ``target``
    polls Scan-On-Air of the same event, all starting within the first ``every`` seconds."""
    path = f"/fr/backoffice/events/{target['event_id']}/entries/"
    cookies = target["staff_cookies"]
    until = time.perf_counter() + seconds
    pollers = [
        poll_scan_on_air(port, cookie, path, every, until, every * n / len(cookies))
        for n, cookie in enumerate(cookies)
    ]
    started = time.perf_counter()
    scans, *polls = await asyncio.gather(
        closed_loop(port, token, itertools.cycle(inside), 16, "exit+entry", until=until), *pollers
    )
    latencies = [x for found, _ in polls for x in found]
    statuses = {}
    for _, found in polls:
        for status, n in found.items():
            statuses[status] = statuses.get(status, 0) + n
    return {
        "seconds": seconds,
        "scanners": 16,
        "staff_pages": len(cookies),
        "poll_every_seconds": every,
        "scans": scans,
        "scan_on_air": {**latency_report(latencies, time.perf_counter() - started), "statuses": statuses},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=20_000)
    parser.add_argument(
        "--gunicorn", help="gunicorn's options (default: the Dockerfile's CMD, as docker-compose.yml runs it)"
    )
    parser.add_argument("--staff", type=int, default=20, help="Scan-On-Air pages polling in the mixed load")
    parser.add_argument("--poll-every", type=float, default=3.0, help="seconds between two polls of a page")
    parser.add_argument("--mixed-seconds", type=float, default=20.0)
    args = parser.parse_args()

    env = migrated_env()
    fixture = Path(tempfile.mkdtemp(prefix="scan-bench-"))
    manage(
        env,
        "bench_fixture",
        "--tickets",
        str(args.tickets),
        "--staff",
        str(args.staff),
        "--out",
        str(fixture),
        stdout=subprocess.DEVNULL,
    )
    analyze(env)
    secrets = (fixture / "secrets.txt").read_text().split()
    target = json.loads((fixture / "target.json").read_text())
    token = target["token"]

    options = args.gunicorn.split() if args.gunicorn else dockerfile_gunicorn_options()
    server, port = start_gunicorn(env, options=options)
    try:
        plan = {
            "warmup": secrets[-500:],
            "c1": secrets[:1500],
            "c4": secrets[1500:4500],
            "c16": secrets[4500:14500],
            "race": secrets[14500:14800],
        }

        async def run():
            await closed_loop(port, token, plan["warmup"], 4, direction="exit")  # warm both workers
            await trivial(port, 500, 4)
            statements = Statements(env)
            phases = [await scan_phase(port, token, plan[f"c{c}"], c, statements) for c in (1, 4, 16)]
            race_report = await race(port, token, plan["race"])
            reentry = plan["c16"][:1000]
            exits = await closed_loop(port, token, reentry, 16, direction="exit")
            entries = await closed_loop(port, token, reentry, 16)
            mixed_report = await mixed(
                port, token, plan["c16"], target, seconds=args.mixed_seconds, every=args.poll_every
            )
            return phases, race_report, {"exits": exits, "entries": entries}, mixed_report

        phases, race_report, reentry, mixed_report = asyncio.run(run())
    finally:
        server.terminate()
        server.wait(timeout=20)
    c16 = phases[2]
    every_scan_ok = all(set(p["results"]) <= OK and not p["errors"] for p in phases)
    mixed_ok = (
        set(mixed_report["scans"]["results"]) <= OK
        and not mixed_report["scans"]["errors"]
        and set(mixed_report["scan_on_air"]["statuses"]) == {200}
    )
    report = {
        "benchmark": "scan_load",
        "server": f"gunicorn {' '.join(options)}, PostgreSQL, Redis",
        "tickets": args.tickets,
        "phases": phases,
        "race": race_report,
        "reentry": {
            "exited": reentry["exits"]["results"].get("exited", 0),
            "readmitted": reentry["entries"]["results"].get("admitted", 0),
            "scans_per_second": reentry["entries"]["scans_per_second"],
        },
        "mixed": mixed_report,
        "target": {
            "scans_per_second_at_16": 1000,
            "p99_ms_at_16": 25,
            "ratio_to_trivial_at_16": 0.6,
            "mixed_scan_p99_ms": 50,
            "mixed_scan_on_air_p95_ms": 200,
        },
        "pass": c16["ratio_to_trivial"] >= 0.6
        and c16["p99_ms"] < 25
        and every_scan_ok
        and race_report["exactly_one_admission_each"]
        and reentry["entries"]["results"] == {"admitted": len(plan["c16"][:1000])}
        and mixed_ok
        and mixed_report["scans"]["p99_ms"] < 50
        and mixed_report["scan_on_air"]["p95_ms"] < 200,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
