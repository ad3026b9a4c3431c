"""Status page under load: /status/ and /api/v2/summary.json against the trivial /healthz/live view.

    .venv/bin/python bench/status_page.py [--seconds 10] [--concurrency 8] [--workers 2]

gunicorn (2 gthread workers) over PostgreSQL and Redis with the demo data. Each path is read by a
closed-loop client (asyncio, keep-alive connections, accepting gzip as browsers do), in two interleaved
rounds; the report gives each path's better round and its share of the trivial view's throughput. Then
freshness: a component status changed through the operator API, and the time until
/api/v2/summary.json shows it. Prints one JSON report.
Targets: the page and the JSON at >= 80 % of /healthz/live's throughput; a change visible <= 5 s.
"""

import argparse
import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import Client, manage, migrated_env, read_paths, start_gunicorn  # noqa: E402

PATHS = {"healthz": "/healthz/live", "page": "/fr/status/", "summary": "/api/v2/summary.json"}


async def freshness(port: int, token: str, rounds: int) -> list[float]:
    """Seconds from the API's answer to a status change until summary.json shows the new status."""
    writer, reader = Client(port, {"Authorization": f"Bearer {token}"}), Client(port)
    delays = []
    for index in range(rounds):
        status = "degraded_performance" if index % 2 == 0 else "operational"
        answer, _ = await writer.call("PATCH", "/api/v1/status/components/api/", {"status": status})
        assert answer == 200, answer
        written = time.perf_counter()
        while True:
            _, body = await reader.call("GET", PATHS["summary"])  # no Accept-Encoding: plain JSON
            shown = {c["id"]: c for c in json.loads(body)["components"] if not c["group"]}
            if any(c["name"] == "API" and c["status"] == status for c in shown.values()):
                delays.append(time.perf_counter() - written)
                break
            if time.perf_counter() - written > 30:
                delays.append(float("inf"))
                break
            await asyncio.sleep(0.01)
    return delays


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=10, help="status changes timed for freshness")
    args = parser.parse_args()

    env = migrated_env()
    manage(env, "demo_data", stdout=subprocess.DEVNULL)
    token = manage(
        env, "create_api_token", "operator", "--name", "status bench", capture_output=True, text=True
    ).stdout.strip()

    server, port = start_gunicorn(env, workers=args.workers, threads=args.threads)
    try:

        async def run():
            phases = await read_paths(port, PATHS, args.seconds, args.concurrency)
            return phases, await freshness(port, token, args.rounds)

        phases, delays = asyncio.run(run())
    finally:
        server.terminate()
        server.wait(timeout=20)
    trivial = phases["healthz"]["per_second"]
    ratios = {name: round(phases[name]["per_second"] / trivial, 3) for name in ("page", "summary")}
    report = {
        "benchmark": "status_page",
        "server": f"gunicorn {args.workers} workers × {args.threads} threads (gthread), PostgreSQL, Redis",
        "concurrency": args.concurrency,
        "phases": phases,
        "share_of_trivial_view": ratios,
        "freshness_seconds": {
            "rounds": len(delays),
            "max": round(max(delays), 3),
            "median": round(sorted(delays)[len(delays) // 2], 3),
        },
        "target": {"share_of_trivial_view": 0.8, "freshness_seconds": 5},
    }
    report["pass"] = (
        min(ratios.values()) >= 0.8
        and max(delays) <= 5
        and all(set(p["statuses"]) == {200} for p in phases.values())
    )
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
