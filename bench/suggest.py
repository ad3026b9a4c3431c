"""Help-centre suggestions: quality on our evaluation set and latency of /api/v1/help/suggest/.

    .venv/bin/python bench/suggest.py [--concurrency 4] [--seconds 10]

gunicorn (2 gthread workers) over PostgreSQL and Redis with the help centre loaded from its content file.
First, as soon as gunicorn answers, one question per language on new connections (both workers): how long
the first readers after a restart wait. Every question of the held-out sets (``HELD_OUT``: written apart from
the training questions in helpcenter/content/questions, never tuned on) is asked once over HTTP, one at a
time: top-1 and top-3 accuracy per language and overall, the latency of each answer, and how many of the
unrelated questions get an article (none should). Beside it, the simplest baseline on the same questions: a
plain scikit-learn TF-IDF over each article's whole text (title, summary, tags, answer), best cosine first.
Then a closed loop of ``--concurrency`` clients cycles through the same questions for ``--seconds``. Prints
one JSON report. Target: p95 < 50 ms, and the first answers after a start too.
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

HELD_OUT = ("tests/helpcenter/suggest_eval_blind.toml", "tests/helpcenter/suggest_eval_blind2.toml")
ASKED = [q for name in HELD_OUT for q in tomllib.loads((ROOT / name).read_text("utf-8"))["q"]]
QUESTIONS = [question for question in ASKED if question["key"]]
UNRELATED = [question for question in ASKED if not question["key"]]
FIRST_QUESTIONS = 6  # on as many new connections, right after the start: both workers get some


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


def tfidf_baseline() -> dict:
    """Top-1 of a plain TF-IDF over each article's whole text, per language: what the engine must beat."""
    from django.utils.html import strip_tags
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import linear_kernel

    content = tomllib.loads((ROOT / "helpcenter" / "content" / "help_centre.toml").read_text("utf-8"))
    right = defaultdict(int)
    for language in ("fr", "de", "en"):
        articles = [(a["key"], a[language]) for a in content["article"]]
        texts = [
            f"{t['title']} {t['summary']} {' '.join(t['tags'])} {strip_tags(t['answer'])}"
            for _, t in articles
        ]
        vectorizer = TfidfVectorizer(sublinear_tf=True, strip_accents="unicode")
        matrix = vectorizer.fit_transform(texts)
        for question in (q for q in QUESTIONS if q["lang"] == language):
            best = linear_kernel(vectorizer.transform([question["text"]]), matrix)[0].argmax()
            right[language] += articles[best][0] == question["key"]
    counts = {lang: sum(q["lang"] == lang for q in QUESTIONS) for lang in ("fr", "de", "en")}
    report = {lang: {"top1": round(right[lang] / n, 3)} for lang, n in counts.items()}
    report["all"] = {"top1": round(sum(right.values()) / len(QUESTIONS), 3)}
    return report


async def first_answers(port: int) -> list[float]:
    """Milliseconds each of the first questions after the start waited, one per language in turn."""
    waits = []
    for number in range(FIRST_QUESTIONS):
        question = next(q for q in QUESTIONS if q["lang"] == ("fr", "de", "en")[number % 3])
        started = time.perf_counter()
        status, body = await Client(port).call("GET", path_for(question))
        waits.append(round((time.perf_counter() - started) * 1000, 1))
        assert status == 200, (status, body[:200])
    return waits


async def unrelated(port: int) -> dict:
    client, answered = Client(port), []
    for question in UNRELATED:
        status, body = await client.call("GET", path_for(question))
        assert status == 200, (status, body[:200])
        hits = json.loads(body)
        if hits:
            answered.append({"question": question["text"], "key": hits[0]["key"], "score": hits[0]["score"]})
    return {"questions": len(UNRELATED), "answered": len(answered), "answers": answered}


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
            first = await first_answers(port)
            await closed_loop(port, 2, 2)  # an index built lazily is built by now
            accuracy, latencies = await quality(port)
            return (
                first,
                accuracy,
                await unrelated(port),
                latency_report(latencies, sum(latencies)),
                await closed_loop(port, args.seconds, args.concurrency),
            )

        first, accuracy, off_topic, sequential, loaded = asyncio.run(run())
    finally:
        server.terminate()
        server.wait(timeout=20)
    report = {
        "benchmark": "suggest",
        "server": "gunicorn 2 workers × 2 threads (gthread), PostgreSQL, Redis",
        "evaluation_sets": list(HELD_OUT),
        "accuracy": accuracy,
        "baseline_tfidf_whole_article": tfidf_baseline(),
        "unrelated_questions": off_topic,
        "first_answers_after_start_ms": first,
        "latency_one_at_a_time": sequential,
        f"latency_concurrency_{args.concurrency}": loaded,
        "target": {"p95_ms": 50},
    }
    report["pass"] = (
        max(first) < 50
        and sequential["p95_ms"] < 50
        and loaded["p95_ms"] < 50
        and set(loaded["statuses"]) == {200}
    )
    print(json.dumps(report, indent=2))
    sys.exit(0 if report["pass"] else 1)


if __name__ == "__main__":
    main()
