"""How well the assistant understands: intent accuracy per language on the held-out set
(``chatbot/eval/intents.jsonl``, never trained on), the confusions, and FAQ top-1 on the help centre's
evaluation questions (``tests/helpcenter/suggest_eval.toml``): the share whose message the classifier sends
to the help centre and whose first article is the expected one."""

import json
import tomllib
from collections import Counter
from pathlib import Path

from helpcenter.selectors import answer_candidates

from . import nlu
from .dialogue import CONFIDENT, NOT_REROUTED

ROOT = Path(__file__).resolve().parents[1]
INTENT_SET = ROOT / "chatbot" / "eval" / "intents.jsonl"
FAQ_SET = ROOT / "tests" / "helpcenter" / "suggest_eval.toml"


def routed_intent(parsed: dict) -> str:
    """The intent the dialogue acts on (an unsure message goes to the help centre)."""
    name, confidence = parsed["intent"]["name"], parsed["intent"]["confidence"]
    return "faq" if confidence < CONFIDENT and name not in NOT_REROUTED else name


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


def faq(path: Path = FAQ_SET) -> dict:
    questions = [q for q in tomllib.loads(path.read_text("utf-8"))["q"] if q.get("key")]
    routed = right = 0
    per_language: dict[str, Counter] = {}
    for question in questions:
        counts = per_language.setdefault(question["lang"], Counter())
        counts["n"] += 1
        if routed_intent(nlu.parse(question["text"], question["lang"])) != "faq":
            continue
        routed += 1
        candidates = answer_candidates(question["text"], question["lang"], limit=1)
        if candidates and candidates[0][0].key == question["key"]:
            right += 1
            counts["right"] += 1
    return {
        "questions": len(questions),
        "sent_to_the_help_centre": round(routed / len(questions), 3),
        "top1": round(right / len(questions), 3),
        "top1_per_language": {
            lang: round(c["right"] / c["n"], 3) for lang, c in sorted(per_language.items())
        },
    }
