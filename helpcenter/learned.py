"""The learned half of the help suggestions: which article a question is about, as a probability, from a
logistic regression over TF-IDF words and character n-grams (scikit-learn) trained on each article's own
text and on the questions people ask for it (``content/questions/*.toml``: ``key`` the article that answers
``text``, ``""`` for a question no article answers).

The hand-written engine (``suggest``) only sees words an article has, or close to them; people describe
their situation in words no article uses ("the phones show a spinner"). Questions seen in training teach
those words; character n-grams hear typos, compounds and mixed languages. Neither half alone is as good
as the blend ``suggest`` makes of them (numbers in ``bench/suggest.py``'s report).

A model is fitted when an index is built (a second or two per language) and kept for as long as the same
articles and questions are indexed, so a process fits once per language and content.
"""

import hashlib
import threading
import tomllib
from pathlib import Path

from .suggest import UNRELATED, fold

QUESTIONS = Path(__file__).resolve().parent / "content" / "questions"


def questions(language: str) -> list[tuple[str, str]]:
    """(article key or ``UNRELATED``, text) of the training questions in ``language``."""
    found = []
    for path in sorted(QUESTIONS.glob("*.toml")):
        for question in tomllib.loads(path.read_text("utf-8"))["q"]:
            if question["lang"] == language:
                found.append((question["key"], question["text"]))
    return found


class Model:
    """``probabilities`` that a question is about each article, and that it is about none."""

    def __init__(self, rows: list[tuple[str, str]]):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline, make_union

        self.pipeline = make_pipeline(
            make_union(
                TfidfVectorizer(preprocessor=fold, ngram_range=(1, 2), sublinear_tf=True),
                TfidfVectorizer(preprocessor=fold, analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
            ),
            LogisticRegression(C=20.0, solver="newton-cg", max_iter=3000),  # lbfgs takes twice as long
        )
        self.pipeline.fit([text for _key, text in rows], [key for key, _text in rows])

    def probabilities(self, text: str) -> dict[str, float]:
        """Article key (or ``UNRELATED``) → probability that ``text`` is about it."""
        probabilities = self.pipeline.predict_proba([text])[0]
        return dict(zip(self.pipeline.classes_, map(float, probabilities), strict=True))


_models: dict[str, tuple[str, Model]] = {}  # language → (fingerprint of its rows, model)
_lock = threading.Lock()


def model_for(language: str, articles: dict[str, dict[str, str]]) -> Model | None:
    """The model for ``articles`` (key → title, tags, summary, answer) and their training questions; None
    when there is nothing to tell apart."""
    rows = []
    for key, fields in articles.items():
        rows += [(key, f"{fields['title']} {fields['tags']} {fields['summary']}"), (key, fields["title"])]
        rows.append((key, fields["answer"]))
    rows += [(key, text) for key, text in questions(language) if key in articles or key == UNRELATED]
    if len({key for key, _text in rows}) < 2:
        return None
    fingerprint = hashlib.sha256(repr(rows).encode()).hexdigest()
    with _lock:
        known = _models.get(language)
        if known is None or known[0] != fingerprint:
            known = _models[language] = (fingerprint, Model(rows))
    return known[1]
