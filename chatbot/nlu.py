"""The embedded intent classifier: Rasa 3.x NLU data (``chatbot/rasa/data/nlu_<lang>.yml``) trained into a
scikit-learn pipeline (TF-IDF over words and character n-grams, a logistic regression), the shape of Rasa's
default pipeline, kept in ``CHATBOT_MODEL_PATH`` with a fingerprint of the data it learnt from.

``python manage.py train_chatbot`` trains it; a process that finds no model, or one trained on other data,
trains it on first use. ``parse`` answers like Rasa's ``/model/parse``, with the language added.
"""

import hashlib
import logging
import re
from functools import cache
from pathlib import Path

import yaml
from django.conf import settings

from .components import find_components
from .language import LANGUAGES, detect

logger = logging.getLogger(__name__)
DATA = Path(__file__).resolve().parent / "rasa" / "data"
INTENTS = (
    "greet",
    "goodbye",
    "thanks",
    "status",
    "contact",
    "handoff",
    "escalate",
    "faq",
    "affirm",
    "deny",
    "out_of_scope",
)
FALLBACK = "out_of_scope"
_ENTITY = re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}")  # Rasa annotations: keep the text


def examples(folder: Path = DATA) -> list[tuple[str, str, str]]:
    """(text, intent, language) of every example in the NLU files, in file order."""
    found = []
    for lang in LANGUAGES:
        for path in sorted(folder.glob(f"*_{lang}.yml")):  # nlu_fr.yml, faq_articles_fr.yml …
            found += _examples_of(path, lang)
    return found


def _examples_of(path: Path, lang: str) -> list[tuple[str, str, str]]:
    found = []
    for block in (yaml.safe_load(path.read_text("utf-8")) or {}).get("nlu", []):
        if "intent" not in block:
            continue
        for line in str(block.get("examples", "")).splitlines():
            text = line.strip()
            if text.startswith("- "):
                found.append((_ENTITY.sub(lambda m: m[1] or m[2], text[2:].strip()), block["intent"], lang))
    return found


def fingerprint(rows) -> str:
    return hashlib.sha256(repr(sorted(rows)).encode()).hexdigest()[:16]


def build(rows):
    """A fitted pipeline for ``rows`` of (text, intent, language)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    pipeline = make_pipeline(
        make_union(
            TfidfVectorizer(sublinear_tf=True, strip_accents="unicode", ngram_range=(1, 2)),
            TfidfVectorizer(
                analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, strip_accents="unicode"
            ),
        ),
        LogisticRegression(C=20.0, max_iter=5000),
    )
    return pipeline.fit([text for text, _, _ in rows], [intent for _, intent, _ in rows])


def train(path: Path | None = None) -> dict:
    """Train on the NLU files and store the model; returns what was trained."""
    import joblib

    rows = examples()
    path = Path(path or settings.CHATBOT_MODEL_PATH)
    path.parent.mkdir(parents=True, exist_ok=True)
    model = {"pipeline": build(rows), "fingerprint": fingerprint(rows)}
    temporary = path.with_suffix(".tmp")
    joblib.dump(model, temporary)
    temporary.replace(path)  # a reader never sees half a file
    classifier.cache_clear()
    return {"examples": len(rows), "intents": sorted({intent for _, intent, _ in rows}), "path": str(path)}


@cache
def classifier():
    """The stored pipeline, trained first when missing or trained on other data."""
    import joblib

    path = Path(settings.CHATBOT_MODEL_PATH)
    wanted = fingerprint(examples())
    if path.exists():
        try:
            model = joblib.load(path)
            if model.get("fingerprint") == wanted:
                return model["pipeline"]
        except Exception:  # a model from another scikit-learn version, a broken file: train again
            logger.warning("chatbot model at %s unusable; training again", path, exc_info=True)
    train(path)
    return joblib.load(path)["pipeline"]


def parse(text: str, lang: str | None = None) -> dict:
    """Rasa's ``/model/parse`` answer for ``text``; ``lang`` is the page's language (a prior for short
    messages)."""
    language = detect(text, lang)
    pipeline = classifier()
    probabilities = pipeline.predict_proba([text])[0] if text.strip() else None
    if probabilities is None:
        ranking = [{"name": FALLBACK, "confidence": 1.0}]
    else:
        ranked = sorted(zip(pipeline.classes_, probabilities, strict=True), key=lambda pair: -pair[1])
        ranking = [{"name": str(name), "confidence": round(float(p), 4)} for name, p in ranked[:10]]
    return {
        "text": text,
        "intent": ranking[0],
        "intent_ranking": ranking,
        "entities": find_components(text),
        "language": language,
    }


def warm() -> None:
    """Load (or train) the model and the language detector now rather than on the first message."""
    classifier()
    parse("bonjour", "fr")
