"""Help-centre suggestions: quality on our evaluation set and latency of /api/v1/help/suggest/.

    .venv/bin/python bench/suggest.py [--concurrency 4] [--seconds 10]

gunicorn (2 gthread workers) over PostgreSQL and Redis with the help centre loaded from its content file.
Every question of tests/helpcenter/suggest_eval.toml is asked once over HTTP, one at a time: top-1 and
top-3 accuracy per language and overall, and the latency of each answer. Then a closed loop of
``--concurrency`` clients cycles through the same questions for ``--seconds``. Prints one JSON report.
Target: p95 < 50 ms.
"""

import argparse
import asyncio
import json
import subprocess
import sys
import time
import tomllib
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import Client, latency_report, manage, migrated_env, start_gunicorn  # noqa: E402

QUESTIONS = tomllib.loads((ROOT / "tests" / "helpcenter" / "suggest_eval.toml").read_text("utf-8"))["q"]


def path_for(question: dict) -> str:
    return "/api/v1/help/suggest/?" + urlencode({"q": question["text"], "lang": question["lang"], "limit": 3})


async def quality(port: int) -> tuple[dict, list[float]]:
    client, latencies = Client(port), []
    counts = defaultdict(lambda: {"questions": 0, "top1": 0, "top3": 0})
    for question in QUESTIONS:
        started = time.perf_counter()
        status, body = await client.call("GET", path_for(question))
        latencies.append(time.perf_counter() - started)
        assert status == 200, (status, body[:200])
        keys = [hit["key"] for hit in json.loads(body)]
        for group in (question["lang"], "all"):
            counts[group]["questions"] += 1
            counts[group]["top1"] += keys[:1] == [question["key"]]
            counts[group]["top3"] += question["key"] in keys
    accuracy = {
        group: {
            "questions": c["questions"],
            "top1": round(c["top1"] / c["questions"], 3),
            "top3": round(c["top3"] / c["questions"], 3),
        }
        for group, c in counts.items()
    }
    return accuracy, latencies


async def closed_loop(port: int, seconds: float, concurrency: int) -> dict:
    latencies, statuses = [], defaultdict(int)
    deadline = time.perf_counter() + seconds

    async def worker(offset: int):
        client, index = Client(port), offset
        while time.perf_counter() < deadline:
            question = QUESTIONS[index % len(QUESTIONS)]
            index += concurrency
            started = time.perf_counter()
            status, _ = await client.call("GET", path_for(question))
            latencies.append(time.perf_counter() - started)
            statuses[status] += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(concurrency)))
    return {**latency_report(latencies, time.perf_counter() - started), "statuses": dict(statuses)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()

    env = migrated_env()
    manage(env, "load_help_content", stdout=subprocess.DEVNULL)

    server, port = start_gunicorn(env)
    try:

        async def run():
            await closed_loop(port, 2, 2)  # every worker builds its index once
            accuracy, latencies = await quality(port)
            return (
                accuracy,
                latency_report(latencies, sum(latencies)),
                await closed_loop(port, args.seconds, args.concurrency),
            )

        accuracy, sequential, loaded = asyncio.run(run())
    finally:
        server.terminate()
        server.wait(timeout=20)
    report = {
        "benchmark": "suggest",
        "server": "gunicorn 2 workers × 2 threads (gthread), PostgreSQL, Redis",
        "evaluation_set": "tests/helpcenter/suggest_eval.toml",
        "accuracy": accuracy,
        "latency_one_at_a_time": sequential,
        f"latency_concurrency_{args.concurrency}": loaded,
        "target": {"p95_ms": 50},
    }
    report["pass"] = sequential["p95_ms"] < 50 and loaded["p95_ms"] < 50 and set(loaded["statuses"]) == {200}
    print(json.dumps(report, indent=2))
    sys.exit(0 if report["pass"] else 1)


if __name__ == "__main__":
    main()
