"""Which help articles answer a free-text question: a blend of a hand-written engine (BM25F over title,
search words, summary and answer) and a learned model (``learned``) trained on the questions people ask.

Engine: text on both sides goes through the same analysis: lower case, accents folded, stop words dropped,
Snowball stem of the language, then the domain's synonyms mapped to one term. A query word the index
does not know is matched to close words of the index (a typo in a word of five letters or more, two in
a word of seven or more, a word cut short, a part of a German compound) at a discount. Its score of an
article, between 0 and 1, is the mean of two shares —

- *coverage*: how much of the question the article covers. Each word of the question weighs its rarity
  in the help centre (idf; a word the help centre does not know at all weighs as much as the rarest
  word it knows), and counts by where the article has it: in the title 3/8, in the search words 2.5/8,
  in the summary 1.5/8, in the answer 1/8 (summed), times the discount of a typo;
- *match*: the article's BM25F score over the best score the question could reach (every word
  matched as strongly as BM25 allows);

and only articles with a word of the question in their title, search words or summary get one.

**An article's score** is :data:`ENGINE_SHARE` of the engine's score plus the rest of the learned
probability that the question is about it: between 0 and 1, comparable across questions. Nothing is
suggested when the model finds the question most likely about no article (:data:`UNRELATED_CEILING`), and
no article under :data:`MIN_SCORE`. The share and the floors were chosen by cross-validation on the
training questions (unrelated ones included), never on the evaluation sets in ``tests/helpcenter``;
``bench/suggest.py`` measures top-1 and top-3 there, and how many unrelated questions get an article.
Callers that act on a suggestion without a person choosing (the chatbot) ask for a higher floor.

The index of a language is built once per process and rebuilt when the content version changes (any
publish, unpublish, move or delete of a help page). A web process builds every index when it starts
(:func:`warm`, on ``hub.signals.web_process_started``) and from then on rebuilds in a background thread,
answering from the previous index meanwhile: no reader waits for a build. Other processes (commands,
workers, tests) build when they first ask.
"""

import functools
import logging
import math
import re
import threading
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.utils.html import strip_tags

from .lexicon import STOPWORDS, SYNONYMS

logger = logging.getLogger(__name__)

LANGUAGES = ("fr", "de", "en")
FIELD_WEIGHTS = {"title": 3.0, "tags": 2.5, "summary": 1.5, "answer": 1.0}
TOTAL_WEIGHT = sum(FIELD_WEIGHTS.values())
K1, B = 1.2, 0.75
MIN_SCORE = 0.12  # the floor: under it an article is not suggested (see the module's docstring)
ENGINE_SHARE = 0.6  # of an article's score; the rest is the learned probability (see the module's docstring)
UNRELATED = ""  # the learned class of questions no article answers
UNRELATED_CEILING = 0.4  # from this probability that no article answers, none is suggested
VERSION_KEY = "helpcenter:index-version"
VERSION_CHECK_SECONDS = 1.0  # a process looks at the content version at most this often
RETRY_SECONDS = 10.0  # a background rebuild that could not read the database tries again after this

_STEMMER_NAMES = {"fr": "french", "de": "german", "en": "english"}

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_stemmers = threading.local()


def fold(text: str) -> str:
    """Lower case without accents, German umlauts written out (ü → ue) so both spellings meet."""
    text = text.lower().replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _stem(word: str, language: str) -> str:
    stemmers = getattr(_stemmers, "by_language", None)
    if stemmers is None:
        import snowballstemmer  # loads every language's stemmer: only in processes that suggest

        stemmers = _stemmers.by_language = {
            code: snowballstemmer.stemmer(name) for code, name in _STEMMER_NAMES.items()
        }
    return stemmers[language].stemWord(word)


@functools.cache
def _synonyms() -> dict[str, dict[str, str]]:
    table = {}
    for language, groups in SYNONYMS.items():
        mapping = {}
        for group in groups:
            stems = [_stem(fold(word), language) for word in group.split()]
            for stem in stems[1:]:
                mapping.setdefault(stem, stems[0])
        table[language] = mapping
    return table


_STOP = {language: set(fold(words).split()) for language, words in STOPWORDS.items()}


def is_stopword(word: str, language: str) -> bool:
    return fold(word) in _STOP[language]


def term(word: str, language: str) -> str:
    """The index term of one folded word: its stem, synonyms merged (stop words are the caller's to drop)."""
    stem = _stem(word, language)
    return _synonyms()[language].get(stem, stem)


def analyse(text: str, language: str) -> list[str]:
    """The index terms of ``text``: folded, stop words out, stemmed, synonyms merged."""
    stop, synonyms = _STOP[language], _synonyms()[language]
    terms = []
    for word in _WORD.findall(fold(text)):
        if word in stop or (len(word) < 2 and not word.isdigit()):
            continue
        stem = _stem(word, language)
        terms.append(synonyms.get(stem, stem))
    return terms


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance with adjacent transpositions, or ``limit + 1`` once it is surely larger."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


@dataclass(frozen=True)
class Article:
    key: str
    title: str
    url: str


@dataclass(frozen=True)
class Suggestion:
    article: Article
    score: float


class Posting(NamedTuple):
    """A term in an article: its BM25F frequency, the share of the field weights it is present in, and
    whether it is in the title, search words or summary (what the article is about)."""

    frequency: float
    presence: float
    about: bool


@dataclass
class Index:
    language: str
    articles: list[Article] = field(default_factory=list)
    postings: dict[str, dict[int, Posting]] = field(default_factory=lambda: defaultdict(dict))
    lengths: list[float] = field(default_factory=list)
    by_key: dict[str, Article] = field(default_factory=dict)
    model: object = None  # learned.Model, when there are articles to tell apart
    _near_cache: dict[str, list[tuple[str, float]]] = field(default_factory=dict)

    def add(self, article: Article, fields: dict[str, str]) -> None:
        number = len(self.articles)
        self.articles.append(article)
        self.by_key[article.key] = article
        weighted, presence, about = Counter(), Counter(), set()
        for name, text in fields.items():
            terms = analyse(text, self.language)
            for term in terms:
                weighted[term] += FIELD_WEIGHTS[name]
            for term in set(terms):
                presence[term] += FIELD_WEIGHTS[name] / TOTAL_WEIGHT
                if name != "answer":
                    about.add(term)
        for term, weight in weighted.items():
            self.postings[term][number] = Posting(weight, presence[term], term in about)
        self.lengths.append(sum(weighted.values()))

    def finish(self) -> None:
        """Split German compounds of the index into their known last part (Ticketkontrolle → kontroll)."""
        if self.language == "de":
            known = [term for term in self.postings if len(term) >= 4]
            for term in list(self.postings):
                if len(term) < 8:
                    continue
                heads = [part for part in known if part != term and term.endswith(part) and len(part) >= 4]
                for head in heads:
                    for number, posting in list(self.postings[term].items()):
                        had = self.postings[head].get(number, Posting(0.0, 0.0, False))
                        self.postings[head][number] = Posting(
                            had.frequency + 0.5 * posting.frequency,
                            max(had.presence, 0.5 * posting.presence),
                            had.about or posting.about,
                        )
        self.postings = dict(self.postings)
        self.average_length = (sum(self.lengths) / len(self.lengths)) if self.lengths else 1.0

    def idf(self, documents: int) -> float:
        return math.log(1 + (len(self.articles) - documents + 0.5) / (documents + 0.5))

    def near_terms(self, term: str) -> list[tuple[str, float]]:
        """Index terms close to an unknown query term, with the discount each match gets."""
        if term in self._near_cache:
            return self._near_cache[term]
        matches = []
        if len(term) >= 4:
            limit = 0 if len(term) < 5 else 1 if len(term) < 7 else 2
            for known in self.postings:
                if known[0] != term[0] and len(term) < 7:
                    continue
                distance = edit_distance(term, known, limit) if limit else limit + 1
                if distance <= limit:
                    matches.append((known, 0.85 if distance == 1 else 0.7))
                elif len(known) >= 4 and (term.startswith(known) or known.startswith(term)):
                    matches.append((known, 0.6))
                elif self.language == "de" and len(known) >= 5 and known in term:
                    matches.append((known, 0.5))
            matches.sort(key=lambda match: -match[1])
            matches = matches[:4]
        if len(self._near_cache) < 10_000:
            self._near_cache[term] = matches
        return matches

    def search(self, query: str, limit: int = 3, min_score: float = MIN_SCORE) -> list[Suggestion]:
        """The best ``limit`` articles scoring at least ``min_score`` (scores as the module says)."""
        scores = {self.articles[number].key: score for number, score in self.engine_scores(query).items()}
        if self.model is not None:
            learned = self.model.probabilities(query)
            if learned.get(UNRELATED, 0.0) >= UNRELATED_CEILING:
                return []
            scores = {
                key: ENGINE_SHARE * scores.get(key, 0.0) + (1 - ENGINE_SHARE) * learned.get(key, 0.0)
                for key in set(scores) | (set(learned) - {UNRELATED})
            }
        best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        return [Suggestion(self.by_key[key], round(score, 3)) for key, score in best if score >= min_score][
            :limit
        ]

    def engine_scores(self, query: str) -> dict[int, float]:
        """The hand-written engine's score of each article the question is about (article number → score)."""
        bm25: dict[int, float] = defaultdict(float)
        covered: dict[int, float] = defaultdict(float)
        about: set[int] = set()
        question = 0.0  # the question's weight: the sum of its words' weights
        for term, repeat in Counter(analyse(query, self.language)).items():
            expansions = [(term, 1.0)] if term in self.postings else self.near_terms(term)
            weights = [self.idf(len(self.postings[known])) for known, _ in expansions]
            weight = max(weights, default=self.idf(1))  # an unknown word weighs as the rarest known one
            question += repeat * weight
            presence: dict[int, float] = {}
            for known, discount in expansions:
                documents = self.postings[known]
                idf = self.idf(len(documents))
                for number, posting in documents.items():
                    norm = K1 * (1 - B + B * self.lengths[number] / self.average_length)
                    saturation = posting.frequency * (K1 + 1) / (posting.frequency + norm)
                    bm25[number] += discount * repeat * idf * saturation
                    presence[number] = max(presence.get(number, 0.0), discount * posting.presence)
                    if posting.about:
                        about.add(number)
            for number, share in presence.items():
                covered[number] += repeat * weight * share
        return {
            number: min(1.0, (covered[number] / question + bm25[number] / (question * (K1 + 1))) / 2)
            for number in about
        }


def build_index(language: str) -> Index:
    from . import learned
    from .models import HelpArticlePage

    index = Index(language)
    pages = (
        HelpArticlePage.objects.live()
        .public()
        .filter(locale__language_code=language)
        .only("title", "key", "tags", "summary", "answer", "url_path", "path", "depth")
        .order_by("path")
    )
    texts = {}
    for page in pages:
        texts[page.key] = {
            "title": page.title,
            "tags": page.tags,
            "summary": page.summary,
            "answer": strip_tags(page.answer),
        }
        index.add(Article(page.key, page.title, page.get_url()), texts[page.key])
    index.finish()
    index.model = learned.model_for(language, texts)
    return index


_indexes: dict[str, tuple[int, Index]] = {}
_checked = {"at": 0.0, "version": 0}
_lock = threading.Lock()
_background = threading.Event()  # set in web processes: rebuild in a thread, answer from the old index
_rebuilding: dict[str, threading.Thread] = {}


def warm() -> None:
    """Build every language's index now; from then on rebuild in the background (a web process starting).

    A database or cache that cannot be read yet (down, or not migrated) is logged and left for the first
    question: a web process starts whatever happens.
    """
    _background.set()
    try:
        version = _current_version()
        for language in LANGUAGES:
            _indexes[language] = (version, build_index(language))
    except Exception:  # never keep a web process from starting
        logger.warning("help suggestions: the index will be built at the first question", exc_info=True)
    else:
        indexed = sum(len(index.articles) for _version, index in _indexes.values())
        logger.info("help suggestions: %s articles indexed", indexed)


def content_changed() -> None:
    """Every process rebuilds its indexes (called after a help page is published, moved or deleted)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)
    _checked["at"] = 0.0
    if _background.is_set():
        version = _current_version()
        for language in list(_indexes):
            _rebuild_in_background(language, version)
    else:
        _indexes.clear()


def _current_version() -> int:
    now = time.monotonic()
    if now - _checked["at"] > VERSION_CHECK_SECONDS:
        _checked["version"] = cache.get(VERSION_KEY, 0)
        _checked["at"] = now
    return _checked["version"]


def index_for(language: str) -> Index:
    version = _current_version()
    entry = _indexes.get(language)
    if entry is not None and entry[0] != version and _background.is_set():
        _rebuild_in_background(language, version)
    elif entry is None or entry[0] != version:
        with _lock:
            entry = _indexes.get(language)
            if entry is None or entry[0] != version:
                entry = _indexes[language] = (version, build_index(language))
    return entry[1]


def _rebuild_in_background(language: str, version: int) -> None:
    with _lock:
        if language in _rebuilding:
            return
        thread = _rebuilding[language] = threading.Thread(
            target=_rebuild, args=(language, version), name=f"help-index-{language}", daemon=True
        )
    thread.start()


def _rebuild(language: str, version: int) -> None:
    """Build the index of ``version`` and swap it in; while the database cannot be read, try again."""
    try:
        while True:
            try:
                _indexes[language] = (version, build_index(language))
                return
            except DatabaseError:
                logger.warning("help suggestions: could not rebuild the %s index", language, exc_info=True)
                time.sleep(RETRY_SECONDS)
            finally:
                connection.close()  # this thread's own connection
    finally:
        with _lock:
            del _rebuilding[language]


def suggest(query: str, language: str, limit: int = 3, min_score: float = MIN_SCORE) -> list[Suggestion]:
    """The articles that answer ``query`` best, best first, each scoring at least ``min_score``."""
    return index_for(language).search(query, limit=limit, min_score=min_score)
