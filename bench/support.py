"""Support desk measurements, one section each (the sections to come: the queue page, the SLA sweep).

    .venv/bin/python bench/support.py [--only triage] [--texts 1000] [--rounds 5]

``triage``: the urgency rules (``escalation.triage``) over ``--texts`` requests made from the development
set (tests/escalation/triage_dev.jsonl), each one different (a reference and a name woven in, the order
shuffled), so that words repeat as in a real queue but no text is seen twice. It times the first pass in
a fresh process (the word lists compiled at import, every word analysed once) and the best of
``--rounds`` passes over new texts afterwards; the scores on the development set come with it. No database:
the rules are pure. Prints one JSON report. Target: 1,000 texts in < 1 s.
"""

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEV_SET = ROOT / "tests" / "escalation" / "triage_dev.jsonl"
NAMES = [
    "Salle Pleyel",
    "Kaufleuten",
    "Rote Fabrik",
    "Olympia",
    "Moods",
    "La Cigale",
    "Volkshaus",
    "Ancienne Belgique",
]


def texts(rows: list[dict], count: int, seed: int) -> list[str]:
    chance = random.Random(seed)
    made = []
    for number in range(count):
        row = chance.choice(rows)
        made.append(f"{row['text']} (SR-{seed:02d}{number:05d}, {chance.choice(NAMES)})")
    return made


def bench_triage(args) -> dict:
    started = time.perf_counter()
    from escalation.triage import evaluate, triage  # compiles the word lists

    imported = time.perf_counter() - started
    rows = [json.loads(line) for line in DEV_SET.read_text("utf-8").splitlines() if line.strip()]
    first = texts(rows, args.texts, 0)
    started = time.perf_counter()
    urgent = sum(triage(text).urgent for text in first)
    cold = time.perf_counter() - started
    warm = []
    for round_ in range(1, args.rounds + 1):
        batch = texts(rows, args.texts, round_)
        started = time.perf_counter()
        for text in batch:
            triage(text)
        warm.append(time.perf_counter() - started)
    return {
        "texts": args.texts,
        "import_and_compile_s": round(imported, 3),
        "first_pass_s": round(cold, 3),
        "best_later_pass_s": round(min(warm), 3),
        "per_text_ms": round(min(warm) * 1000 / args.texts, 3),
        "flagged_urgent_first_pass": urgent,
        "development_set": evaluate(rows),
        "target_s": 1.0,
        "pass": cold < 1.0 and min(warm) < 1.0,
    }


SECTIONS = {"triage": bench_triage}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(SECTIONS), action="append", help="run only these sections")
    parser.add_argument("--texts", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
    import django

    django.setup()
    report = {"benchmark": "support"}
    for name in args.only or sorted(SECTIONS):
        report[name] = SECTIONS[name](args)
    report["pass"] = all(section["pass"] for name, section in report.items() if name != "benchmark")
    print(json.dumps(report, indent=2))
    sys.exit(0 if report["pass"] else 1)


if __name__ == "__main__":
    main()
