"""The assistant under load: conversations through the Rasa REST channel with 4 concurrent clients.

    .venv/bin/python bench/chatbot.py [--seconds 20] [--concurrency 4] [--workers 2]

gunicorn (gthread workers) over PostgreSQL and Redis, help content and demo data loaded (status page,
support lines), the intent model trained by ``train_chatbot`` as a deployment does. The server is started
and the very first message is timed at once (the model is loaded when a worker starts, before it serves).
Then each client holds its own conversations, message after message without pause: a greeting, an FAQ
question, a status question, a contact question, a handoff up to its summary (refused, so the benchmark
creates no request) and thanks, in French, German and English in turn. Rate limits are raised for the
benchmark's single address (``CHATBOT_MESSAGES_PER_MINUTE``). Prints one JSON report.
Target: p95 < 100 ms per message, the first message after the restart included.
"""

import argparse
import asyncio
import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import Client, latency_report, manage, migrated_env, percentile, start_gunicorn  # noqa: E402

TARGET_P95_MS = 100
SCRIPTS = {
    "fr": [
        "bonjour",
        "comment rembourser une commande ?",
        "est-ce que la caisse marche ?",
        "quel est le numéro du support en suisse",
        "je veux parler à quelqu'un",
        "Les téléphones affichent tous rouge à l'entrée depuis 10 minutes",
        '/channel{"channel": "door_scanning"}',
        "/deny",
        "caisse@salle.example",
        "/deny",
        "merci",
    ],
    "de": [
        "hallo",
        "wie bekomme ich meine Auszahlung?",
        "Gibt es gerade Probleme mit der Kasse?",
        "wann ist der Support erreichbar?",
        "ich möchte mit einer Person sprechen",
        "Der Onlineshop zeigt alles als ausverkauft, obwohl noch Plätze frei sind",
        '/channel{"channel": "online_shop"}',
        "/deny",
        "kasse@halle.example",
        "/deny",
        "danke",
    ],
    "en": [
        "hi",
        "how do I set up door scanning?",
        "is the shop down?",
        "what's your phone number in the UK",
        "can I talk to a human",
        "The card terminal declines every card at the box office",
        '/channel{"channel": "box_office"}',
        "/deny",
        "box@venue.example",
        "/deny",
        "thanks",
    ],
}


async def say(client: Client, sender: str, text: str, lang: str) -> tuple[int, float]:
    started = time.perf_counter()
    status, _body = await client.call(
        "POST", "/webhooks/rest/webhook", {"sender": sender, "message": text, "metadata": {"lang": lang}}
    )
    return status, time.perf_counter() - started


async def load(port: int, seconds: float, concurrency: int) -> tuple[list[float], dict]:
    latencies, statuses = [], {}
    deadline = time.perf_counter() + seconds

    async def conversation_loop(number: int):
        client = Client(port)
        languages = list(SCRIPTS)
        turn = number
        while time.perf_counter() < deadline:
            lang = languages[turn % len(languages)]
            sender = uuid.uuid4().hex
            for text in SCRIPTS[lang]:
                status, elapsed = await say(client, sender, text, lang)
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
            turn += 1
            client.writer.close()
            client = Client(port)  # new connections spread over the workers

    await asyncio.gather(*(conversation_loop(n) for n in range(concurrency)))
    return latencies, statuses


async def first_message(port: int) -> tuple[int, float]:
    return await say(Client(port), uuid.uuid4().hex, "Gibt es gerade Probleme mit der Kasse?", "de")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    env = migrated_env()
    env["CHATBOT_MESSAGES_PER_MINUTE"] = "100000"  # one address plays every client
    manage(env, "demo_data", stdout=subprocess.DEVNULL)
    manage(env, "train_chatbot", stdout=subprocess.DEVNULL)
    server, port = start_gunicorn(env, workers=args.workers, threads=args.threads)
    try:
        first_status, first = asyncio.run(first_message(port))
        latencies, statuses = asyncio.run(load(port, args.seconds, args.concurrency))
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies.append(first)
    statuses[first_status] = statuses.get(first_status, 0) + 1
    report = latency_report(latencies, args.seconds)
    report.update(
        {
            "first_message_after_restart_ms": round(first * 1000, 2),
            "first_message_status": first_status,
            "statuses": statuses,
            "concurrency": args.concurrency,
            "gunicorn": {"workers": args.workers, "threads": args.threads},
            "target_p95_ms": TARGET_P95_MS,
        }
    )
    report["pass"] = set(statuses) == {200} and percentile([x * 1000 for x in latencies], 95) < TARGET_P95_MS
    print(json.dumps({"benchmark": "chatbot", **report}, indent=2))


if __name__ == "__main__":
    main()
