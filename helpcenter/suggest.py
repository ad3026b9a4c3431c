"""Which help articles answer a free-text question: BM25F over title, search words, summary and answer.

Text on both sides goes through the same analysis: lower case, accents folded, stop words dropped,
Snowball stem of the language, then the domain's synonyms mapped to one term. A query word the index
does not know is matched to close words of the index (one or two typos, a word cut short, a part of a
German compound) at a discount. The index of a language is built once per process and rebuilt when
the content version changes (any publish, unpublish, move or delete of a help page).
"""

import functools
import math
import re
import threading
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.html import strip_tags

FIELD_WEIGHTS = {"title": 3.0, "tags": 2.5, "summary": 1.5, "answer": 1.0}
K1, B = 1.2, 0.75
VERSION_KEY = "helpcenter:index-version"
VERSION_CHECK_SECONDS = 1.0  # a process looks at the content version at most this often

_STEMMER_NAMES = {"fr": "french", "de": "german", "en": "english"}

STOPWORDS = {
    "fr": """a au aux avec ce ces cet cette comment dans de des du elle en est et il ils je j l la le les leur
        lui ma me mes mon ne nos notre nous on ou par pas pour qu que quel quelle quels quelles qui quoi sa
        se ses son sur ta te tes ton tu un une vos votre vous y c d m n s t etre avoir fait faire faut
        peut puis peux est-ce quand combien pourquoi ai as avez ont suis sont cela ca ça mais donc si
        tout tous toute toutes plus tres bien aussi comme alors encore deja suis es sommes etes serai sera
        serons seront etais etait vais vas va allons allez vont aller peuvent pouvez pouvons dois doit devons
        devez doivent""",
    "de": """der die das den dem des ein eine einen einem einer eines und oder aber ich du er sie es wir ihr
        mich mir dich dir sich uns euch ihm ihn ihnen mein meine meinen meinem meiner dein deine ihre ihren
        unser unsere ist sind bin bist war waren hat habe haben hast wird werden wurde kann koennen kann
        muss muessen soll sollen will wollen zu zum zur im in am an auf aus bei mit nach von vor fuer ueber
        um wie was wer wo wann warum wieso weshalb welche welcher welches nicht kein keine noch schon so
        auch nur mal denn doch ja nein man da dass wenn ob als bis es gibt""",
    "en": """a an the and or but i you he she it we they me my mine your yours our us them their is are was
        were be been being am do does did doing have has had can could should would will shall may might
        must to of in on at by for with from about into over after before how what which who whom when
        where why this that these those there here not no so if then than too very just also any some
        get got""",
}

# Words readers use for the same thing; the first word of a group is the one the index keeps.
SYNONYMS = {
    "fr": [
        "billet ticket tickets billets place places e-billet eticket",
        "commission frais tarif tarifs pourcentage cout couts",
        "vendeur organisateur organisateurs organisme vendeurs",
        "listing liste listings listes",
        "scanner scan scans scanne scannage flasher flasheur",
        "application app appli",
        "telephone portable smartphone mobile",
        "email mail mails courriel courriels e-mail emails",
        "panne incident incidents pannes dysfonctionnement bug bugs plantage",
        "caisse pos caisses comptoir",
        "paiement payer paye reglement regler",
        "versement virement reversement",
        "urgent urgence urgences",
        "horaires heures ouverture joignable",
        "contacter joindre appeler",
        "sortie sortir ressortir",
        "equipe collegue collegues membre membres collaborateur collaborateurs",
        "support assistance sav",
    ],
    "de": [
        "ticket tickets karte karten eintrittskarte eintrittskarten billett",
        "provision gebuehr gebuehren kommission kosten",
        "veranstalter verkaeufer organisator",
        "auszahlung ueberweisung ausschuettung",
        "kasse pos kassensystem kassen",
        "stoerung ausfall panne fehler stoerungen ausfaelle",
        "email mail e-mail mails",
        "handy smartphone mobiltelefon",
        "scannen scanner einscannen scan",
        "liste listing listen",
        "dringend notfall dringlich notfaelle",
        "erreichbar erreichbarkeit oeffnungszeiten sprechzeiten",
        "scheck cheque schecks",
        "team kollege kollegen mitglied mitglieder mitarbeiter",
    ],
    "en": [
        "ticket tickets e-ticket eticket",
        "commission fee fees charge charges",
        "payout payouts paid",
        "organiser organizer seller sellers organisers organizers",
        "till pos register",
        "outage incident down failure outages incidents",
        "email mail e-mail emails",
        "phone smartphone mobile",
        "scan scanning scanner scanned",
        "listing list lists listings",
        "urgent emergency emergencies",
        "hours opening reachable",
        "team colleague colleagues member members",
        "cheque cheques",
    ],
}

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


@dataclass
class Index:
    language: str
    articles: list[Article] = field(default_factory=list)
    postings: dict[str, dict[int, float]] = field(default_factory=lambda: defaultdict(dict))
    lengths: list[float] = field(default_factory=list)
    _near_cache: dict[str, list[tuple[str, float]]] = field(default_factory=dict)

    def add(self, article: Article, fields: dict[str, str]) -> None:
        number = len(self.articles)
        self.articles.append(article)
        weighted = Counter()
        for name, text in fields.items():
            for term in analyse(text, self.language):
                weighted[term] += FIELD_WEIGHTS[name]
        for term, weight in weighted.items():
            self.postings[term][number] = weight
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
                    for number, weight in list(self.postings[term].items()):
                        self.postings[head][number] = self.postings[head].get(number, 0) + 0.5 * weight
        self.postings = dict(self.postings)
        self.average_length = (sum(self.lengths) / len(self.lengths)) if self.lengths else 1.0

    def near_terms(self, term: str) -> list[tuple[str, float]]:
        """Index terms close to an unknown query term, with the discount each match gets."""
        if term in self._near_cache:
            return self._near_cache[term]
        matches = []
        if len(term) >= 4:
            limit = 1 if len(term) < 7 else 2
            for known in self.postings:
                if known[0] != term[0] and len(term) < 7:
                    continue
                distance = edit_distance(term, known, limit)
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

    def search(self, query: str, limit: int = 3) -> list[Suggestion]:
        scores: dict[int, float] = defaultdict(float)
        total = len(self.articles)
        for term, repeat in Counter(analyse(query, self.language)).items():
            expansions = [(term, 1.0)] if term in self.postings else self.near_terms(term)
            for known, discount in expansions:
                documents = self.postings[known]
                idf = math.log(1 + (total - len(documents) + 0.5) / (len(documents) + 0.5))
                for number, frequency in documents.items():
                    norm = K1 * (1 - B + B * self.lengths[number] / self.average_length)
                    scores[number] += discount * repeat * idf * frequency * (K1 + 1) / (frequency + norm)
        best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return [Suggestion(self.articles[number], round(score, 3)) for number, score in best if score > 0]


def build_index(language: str) -> Index:
    from .models import HelpArticlePage

    index = Index(language)
    pages = (
        HelpArticlePage.objects.live()
        .public()
        .filter(locale__language_code=language)
        .only("title", "key", "tags", "summary", "answer", "url_path", "path", "depth")
        .order_by("path")
    )
    for page in pages:
        index.add(
            Article(page.key, page.title, page.get_url()),
            {
                "title": page.title,
                "tags": page.tags,
                "summary": page.summary,
                "answer": strip_tags(page.answer),
            },
        )
    index.finish()
    return index


_indexes: dict[str, tuple[int, Index]] = {}
_checked = {"at": 0.0, "version": 0}
_lock = threading.Lock()


def content_changed() -> None:
    """Every process rebuilds its indexes (called after a help page is published, moved or deleted)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)
    _indexes.clear()
    _checked["at"] = 0.0


def _current_version() -> int:
    now = time.monotonic()
    if now - _checked["at"] > VERSION_CHECK_SECONDS:
        _checked["version"] = cache.get(VERSION_KEY, 0)
        _checked["at"] = now
    return _checked["version"]


def index_for(language: str) -> Index:
    version = _current_version()
    entry = _indexes.get(language)
    if entry is None or entry[0] != version:
        with _lock:
            entry = _indexes.get(language)
            if entry is None or entry[0] != version:
                entry = _indexes[language] = (version, build_index(language))
    return entry[1]


def suggest(query: str, language: str, limit: int = 3) -> list[Suggestion]:
    return index_for(language).search(query, limit=limit)
