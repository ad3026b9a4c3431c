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
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import ensure_database, free_port, production_env  # noqa: E402

PATH = "/api/v1/checkin/scan/"


class Client:
    """One keep-alive HTTP/1.1 connection that posts scans and reads the JSON answers."""

    def __init__(self, port: int, token: str):
        self.port, self.token = port, token
        self.reader = self.writer = None

    async def connect(self):
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    def request(self, secret: str, direction: str = "entry") -> bytes:
        body = json.dumps({"secret": secret, "direction": direction, "nonce": uuid.uuid4().hex}).encode()
        head = (
            f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {self.token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        return head.encode() + body

    async def send(self, data: bytes):
        if self.writer is None:
            await self.connect()
        self.writer.write(data)
        await self.writer.drain()

    async def receive(self) -> tuple[int, dict]:
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        body = await self.reader.readexactly(int(headers.get("content-length", 0)))
        if headers.get("connection", "").lower() == "close":
            self.writer.close()
            self.reader = self.writer = None
        return status, json.loads(body) if body else {}

    async def scan(self, secret: str, direction: str = "entry") -> tuple[int, dict]:
        await self.send(self.request(secret, direction))
        return await self.receive()


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


async def closed_loop(port, token, secrets, concurrency, direction="entry"):
    queue = iter(secrets)
    latencies, results, errors = [], {}, 0

    async def worker():
        nonlocal errors
        client = Client(port, token)
        for secret in queue:
            started = time.perf_counter()
            try:
                status, body = await client.scan(secret, direction)
            except (OSError, asyncio.IncompleteReadError):
                errors += 1
                client = Client(port, token)
                continue
            latencies.append(time.perf_counter() - started)
            key = body.get("result", f"http {status}")
            results[key] = results.get(key, 0) + 1

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    ms = [x * 1000 for x in latencies]
    return {
        "concurrency": concurrency,
        "requests": len(latencies),
        "seconds": round(elapsed, 3),
        "scans_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "max_ms": round(max(ms), 2),
        "mean_ms": round(statistics.fmean(ms), 2),
        "results": results,
        "errors": errors,
        "client_cpu_cores": round(cpu / elapsed, 2),  # what the load generator itself took from 2 cores
    }


async def race(port, token, secrets):
    """Each ticket entered 2, 3 or 4 times at once on as many connections, each with its own nonce."""
    double, missing, requests = 0, 0, 0
    for index, secret in enumerate(secrets):
        copies = 2 + index % 3
        clients = [Client(port, token) for _ in range(copies)]
        await asyncio.gather(*(c.connect() for c in clients))
        payloads = [c.request(secret) for c in clients]
        for client, payload in zip(clients, payloads, strict=True):  # all requests leave before any answer
            client.writer.write(payload)
        await asyncio.gather(*(c.writer.drain() for c in clients))
        answers = await asyncio.gather(*(c.receive() for c in clients))
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

    env = production_env()
    ensure_database(env["DATABASE_URL"])
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    fixture = Path(tempfile.mkdtemp(prefix="scan-bench-"))
    subprocess.run(
        [*manage, "bench_fixture", "--tickets", str(args.tickets), "--out", str(fixture)],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    secrets = (fixture / "secrets.txt").read_text().split()
    token = json.loads((fixture / "target.json").read_text())["token"]

    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "hub.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(args.threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(100):
            try:
                import urllib.request

                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/live", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
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
