"""A learned second opinion for the urgency rules (``escalation.triage``): character n-grams, naive Bayes.

The rules read words they know; a request worded with words nobody listed is missed. This model reads
character n-grams (3 to 5 letters, folded), so it also hears "Kreisel", "rond qui tourne" or "spins" when
they look like urgent requests it has seen. It is trained at import from the labelled development sets in
``escalation/triage_data`` (plain JSON lines, nothing binary kept in git), in a few tenths of a second;
without them it says nothing. The rules use it only to turn a "not urgent" into "urgent" when it is
confident, and never against their silencers (invoices, the past or a problem fixed, hypotheses, wishes).
"""

import json
import math
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

SETS = ("triage_dev.jsonl", "triage_eval.jsonl", "triage_extra.jsonl")  # never the blind set
FOLDER = Path(__file__).resolve().parent / "triage_data"
THRESHOLD = 10.0  # log-odds; chosen by training on one set and measuring on another (fewer false alarms)
SIZES = (3, 4, 5)
_SPACES = re.compile(r"\s+")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return " " + _SPACES.sub(" ", "".join(c for c in text if not unicodedata.combining(c))) + " "


def grams(text: str) -> set[str]:
    text = _fold(text)
    return {text[i : i + n] for n in SIZES for i in range(len(text) - n + 1)}


class Model:
    def __init__(self, rows):
        counts = {True: {}, False: {}}
        requests, totals = {True: 0, False: 0}, {True: 0, False: 0}
        for row in rows:
            label = bool(row["urgent"])
            requests[label] += 1
            for gram in grams(row["text"]):
                counts[label][gram] = counts[label].get(gram, 0) + 1
                totals[label] += 1
        self.trained = requests[True] > 0 and requests[False] > 0
        if not self.trained:
            return
        vocabulary = len(counts[True].keys() | counts[False].keys())
        urgent, calm = totals[True] + vocabulary, totals[False] + vocabulary
        self.prior = math.log(requests[True] / requests[False])
        self.unseen = math.log(1 / urgent) - math.log(1 / calm)
        self.weights = {
            gram: math.log((counts[True].get(gram, 0) + 1) / urgent)
            - math.log((counts[False].get(gram, 0) + 1) / calm)
            for gram in counts[True].keys() | counts[False].keys()
        }

    def score(self, text: str) -> float:
        """Log-odds that ``text`` is urgent (0 without training data)."""
        if not self.trained:
            return 0.0
        weights, unseen = self.weights, self.unseen
        return self.prior + sum(weights.get(gram, unseen) for gram in grams(text))


def load(names=SETS, folder: Path = FOLDER) -> list[dict]:
    rows = []
    for name in names:
        path = folder / name
        if path.exists():
            rows += [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return rows


MODEL = Model(load())


@lru_cache(maxsize=10_000)
def confident(text: str) -> bool:
    """Does the model say, confidently, that ``text`` is urgent?"""
    return MODEL.score(text) > THRESHOLD
