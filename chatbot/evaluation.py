"""How well the assistant understands: intent accuracy per language on the held-out set
(``chatbot/eval/intents.jsonl``, never trained on), the confusions, and FAQ top-1 on the help centre's
held-out evaluation questions (``FAQ_SETS``, never trained or tuned on), asked through the real dialogue.

A help-centre question counts as answered right when the first article the assistant shows (its answer,
the first "did you mean" button, or the article offered beside a status answer) is the expected one, or
when the expected article is about something the assistant answers live from the source instead (support
phone and hours: the contact answer; escalating a request: the escalation) and the message went there.
"""

import json
import tomllib
import uuid
from collections import Counter
from pathlib import Path

from . import nlu
from .dialogue import Turn, respond, routed_intent

ROOT = Path(__file__).resolve().parents[1]
INTENT_SET = ROOT / "chatbot" / "eval" / "intents.jsonl"
FAQ_SETS = (
    ROOT / "tests" / "helpcenter" / "suggest_eval_blind.toml",
    ROOT / "tests" / "helpcenter" / "suggest_eval_blind2.toml",
)
LIVE_ANSWERS = {
    "contact-support": "contact",
    "contact-hours": "contact",
    "escalation-account-manager": "escalate",
}


def intents(path: Path = INTENT_SET) -> dict:
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    per_language: dict[str, Counter] = {}
    confusions: Counter = Counter()
    languages: Counter = Counter()
    for row in rows:
        parsed = nlu.parse(row["text"], None)
        got = routed_intent(parsed)
        counts = per_language.setdefault(row["lang"], Counter())
        counts["n"] += 1
        counts["right"] += got == row["intent"]
        languages["right"] += parsed["language"] == row["lang"]
        languages["n"] += 1
        if got != row["intent"]:
            confusions[(row["intent"], got)] += 1
    report = {lang: round(c["right"] / c["n"], 3) for lang, c in sorted(per_language.items())}
    total = sum(c["n"] for c in per_language.values())
    report["all"] = round(sum(c["right"] for c in per_language.values()) / total, 3)
    return {
        "messages": total,
        "intent_accuracy": report,
        "language_detection_accuracy_without_page_language": round(languages["right"] / languages["n"], 3),
        "confusions": [
            {"expected": expected, "got": got, "count": count}
            for (expected, got), count in confusions.most_common()
        ],
    }


def first_article(replies: list[dict]) -> str:
    for reply in replies:
        if reply.get("custom", {}).get("article_key"):
            return reply["custom"]["article_key"]
        for button in reply.get("buttons", []):
            if button["payload"].startswith('/faq{"article"'):
                return json.loads(button["payload"].removeprefix("/faq"))["article"]
    return ""


def faq(paths: tuple[Path, ...] = FAQ_SETS) -> dict:
    questions = [
        dict(q, set=path.name)
        for path in paths
        for q in tomllib.loads(path.read_text("utf-8"))["q"]
        if q.get("key")
    ]
    per_language: dict[str, Counter] = {}
    per_set: Counter = Counter()
    misses: Counter = Counter()
    for question in questions:
        counts = per_language.setdefault(question["lang"], Counter())
        counts["n"] += 1
        replies, parsed = respond(
            Turn(sender=f"eval:{uuid.uuid4().hex}", text=question["text"], page_language=question["lang"])
        )
        live = LIVE_ANSWERS.get(question["key"])
        if first_article(replies) == question["key"] or (live and routed_intent(parsed) == live):
            counts["right"] += 1
            per_set[question["set"]] += 1
        else:
            misses[(question["key"], routed_intent(parsed))] += 1
    right = sum(c["right"] for c in per_language.values())
    return {
        "questions": len(questions),
        "top1": round(right / len(questions), 3),
        "top1_per_language": {
            lang: round(c["right"] / c["n"], 3) for lang, c in sorted(per_language.items())
        },
        "top1_per_set": {
            path.name: round(per_set[path.name] / sum(q["set"] == path.name for q in questions), 3)
            for path in paths
        },
        "misses": [
            {"article": key, "intent": intent, "count": n} for (key, intent), n in misses.most_common()
        ],
    }
