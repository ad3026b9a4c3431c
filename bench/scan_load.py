"""Door scanning under load: the scan API on gunicorn (2 workers) over PostgreSQL, with 20,000 tickets.

    .venv/bin/python bench/scan_load.py [--tickets 20000] [--workers 2] [--threads 2]

A closed-loop client on loopback (asyncio, keep-alive connections) sends scans, each of a ticket not
scanned before, at concurrency 1, 4 and 16 and reports throughput and p50/p95/p99. Then a race phase: 300
tickets, each entered 2 to 4 times at the same instant with its own nonce (exactly one ``admitted`` per
ticket expected), and a re-entry phase (exit pass, then entry). Prints one JSON report.
Target on this 2-core machine: >= 1,000 scans/s at concurrency 16 with p99 < 50 ms.
"""

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import Client, latency_report, manage, migrated_env, start_gunicorn  # noqa: E402

PATH = "/api/v1/checkin/scan/"


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


async def closed_loop(port, token, secrets, concurrency, direction="entry"):
    queue = iter(secrets)
    latencies, results, errors = [], {}, 0

    async def worker():
        nonlocal errors
        client = ScanClient(port, token)
        for secret in queue:
            started = time.perf_counter()
            try:
                status, body = await client.scan(secret, direction)
            except (OSError, asyncio.IncompleteReadError):
                errors += 1
                client = ScanClient(port, token)
                continue
            latencies.append(time.perf_counter() - started)
            key = body.get("result", f"http {status}")
            results[key] = results.get(key, 0) + 1

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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2, help="gunicorn gthread threads per worker")
    args = parser.parse_args()

    env = migrated_env()
    fixture = Path(tempfile.mkdtemp(prefix="scan-bench-"))
    manage(
        env, "bench_fixture", "--tickets", str(args.tickets), "--out", str(fixture), stdout=subprocess.DEVNULL
    )
    secrets = (fixture / "secrets.txt").read_text().split()
    token = json.loads((fixture / "target.json").read_text())["token"]

    server, port = start_gunicorn(env, workers=args.workers, threads=args.threads)
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
            phases = [await closed_loop(port, token, plan[f"c{c}"], c) for c in (1, 4, 16)]
            race_report = await race(port, token, plan["race"])
            reentry = plan["c16"][:1000]
            exits = await closed_loop(port, token, reentry, 16, direction="exit")
            entries = await closed_loop(port, token, reentry, 16)
            return phases, race_report, {"exits": exits, "entries": entries}

        phases, race_report, reentry = asyncio.run(run())
    finally:
        server.terminate()
        server.wait(timeout=20)
    c16 = phases[2]
    report = {
        "benchmark": "scan_load",
        "server": f"gunicorn {args.workers} workers × {args.threads} threads (gthread), PostgreSQL, Redis",
        "tickets": args.tickets,
        "phases": phases,
        "race": race_report,
        "reentry": {
            "exited": reentry["exits"]["results"].get("exited", 0),
            "readmitted": reentry["entries"]["results"].get("admitted", 0),
            "scans_per_second": reentry["entries"]["scans_per_second"],
        },
        "target": {"scans_per_second_at_16": 1000, "p99_ms_at_16": 50},
        "pass": c16["scans_per_second"] >= 1000
        and c16["p99_ms"] < 50
        and race_report["exactly_one_admission_each"],
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
