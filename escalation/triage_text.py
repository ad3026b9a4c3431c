"""Reading a request as the urgency rules need it (``escalation.triage``): clauses of tokens, each token with
the concepts of ``escalation.triage_words`` it stands for.

Words are folded, stemmed and merged with synonyms exactly as the help centre's search does (its public
contract, ``helpcenter.selectors``); every word is matched in the three languages at once, so mixed requests
read as well as plain ones. A word the lists do not know is matched to one they know if it is a typo of it
(same first letter, one edit for six letters or more, two from nine; a deletion index keeps this fast) or,
from eight letters, if its first or last part is known (``Einlasskontrolle``, ``Ticketscanner``). Phrases
replace what their words meant alone ("pas de problème" is no longer a negation and a problem). Each
distinct word is analysed once per process.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from helpcenter.selectors import STEMMED_LANGUAGES, edit_distance, fold, index_term, is_stopword

from .triage_words import WORDS

OBJECTS = ("checkin", "sales", "pay", "price", "system")
_ADDING = {*OBJECTS, "queue", "people"}  # phrases of these add to what their words mean

# Marks put in the text before it is cut into words: an amount of zero, an HTTP server error.
_ZERO_PRICE = re.compile(
    r"(?<![\d.,])0(?:[.,]0{1,2})?\s*(?:€|eur\b|euros?\b|chf\b|francs?\b|£|\$)"
    r"|(?:€|\beur|\bchf|£|\$)\s*0(?:[.,]0{1,2})?(?![.,]?\d)",
    re.IGNORECASE,
)
_SERVER_ERROR = re.compile(  # an HTTP server error, not room 502 or order 500
    r"\b(?:erreur|error|fehler|http|code|status|statut)\s*:?\s*50[0234]\b"
    r"|\b50[0234]\s*(?:errors?|erreurs?|fehler|bad gateway|service unavailable|gateway|internal)",
    re.IGNORECASE,
)
LONGEST_WORD = 40  # longer "words" (links, tokens, noise) are matched only as they are
_AMOUNT = re.compile(
    r"\d+(?:[.,]\d+)?\s*(?:€|\$|£|\b(?:eur|euros?|chf|fr|francs?|cents?|centimes?|rappen)\b)"
    r"|(?:€|\$|£|\b(?:eur|chf)\b)\s*\d+(?:[.,]\d+)?",
    re.IGNORECASE,
)
# A device or page that shows a quoted message ("the terminal says 'transaction aborted'"): an error shown.
_QUOTED = re.compile(
    r"\b(?:affiche|affichent|indique|indiquent|marque|dit|says|say|shows|show|showing|displays|throws|gives|"
    r"meldet|melden|zeigt|zeigen|sagt|bringt|kommt|"
    r"(?:sitting|sits|stuck|stays|hangs|hanging|frozen|reste|restent|bloqu[ée]e?s?|fig[ée]e?s?|coinc[ée]e?s?|"
    r"h[äa]ngt|h[äa]ngen|bleibt|bleiben|steht|stehen)\s+(?:on|at|sur|auf|bei))"
    r"\b(?:\s+[^\W\d]+){0,3}?(?:\s*:)?\s+(?=['\"«„“‘])",
    re.IGNORECASE,
)
_NOT_FOUND = re.compile(r"\b404\b|\bnot found\b", re.IGNORECASE)  # a page that is gone
_PERCENT = re.compile(r"\b\d{1,3}\s?%")  # "100 % off", "-30 %": a discount
_MARKS = {
    "notfoundmark": {"fail"},
    "percentmark": {"discount"},
    "zeropricemark": {"price", "wrong"},
    "servererrormark": {"slow_severe", "fail"},
    "amountmark": {"price"},
    "quotedmark": {"fail"},
}
_MARK_SURFACES = {
    "zeropricemark": "0 €",
    "servererrormark": "5xx",
    "quotedmark": "shows a message",
    "notfoundmark": "404",
}
_SENTENCE = re.compile(r"(?:[^.!?;\n]|[.!?](?=[\w]))+[.!?;\n]*")
WORD = re.compile(r"[^\W_]+")


# --- compiling the words ------------------------------------------------------------------------------


def _entry_keys(word: str, language: str) -> frozenset:
    if word.startswith("="):
        return frozenset({"=" + fold(word[1:])})
    folded = fold(word)
    return frozenset({"=" + folded, f"{language}:{index_term(folded, language)}"})


def _compile():
    single: dict[str, set[str]] = {}
    phrases: dict[str, list[tuple[str, list[frozenset]]]] = {}
    raw_words: dict[str, str] = {}  # a word of the lists (six letters or more) -> its key, for typos
    for concept, by_language in WORDS.items():
        for language, text in by_language.items():
            for entry in filter(None, (part.strip() for part in text.split(","))):
                words = entry.split()
                keys = [_entry_keys(word, language) for word in words]
                if len(words) > 1:
                    for key in keys[0]:
                        phrases.setdefault(key, []).append((concept, keys[1:]))
                    continue
                for key in keys[0]:
                    single.setdefault(key, set()).add(concept)
                plain = fold(words[0].lstrip("="))
                if len(plain) >= 6 and not words[0].startswith("="):
                    raw_words[plain] = "=" + plain
    deletes: dict[str, set[str]] = {}
    for word in raw_words:
        for variant in _deletions(word, 2 if len(word) >= 9 else 1):
            deletes.setdefault(variant, set()).add(word)
    return single, phrases, raw_words, deletes


def _deletions(word: str, depth: int) -> set[str]:
    found, frontier = {word}, {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


_SINGLE, _PHRASES, _RAW_WORDS, _DELETES = _compile()
_fold = lru_cache(maxsize=100_000)(fold)


def _prefixes() -> tuple[set[str], list[int]]:
    """Beginnings of every word and stem of the lists: a word that starts with none of them cannot match
    (stems only cut endings), so it is not stemmed at all (Snowball in pure Python is the slow part)."""
    keys = set(_SINGLE) | set(_PHRASES)
    keys |= {key for entries in _PHRASES.values() for _, rest in entries for keyset in rest for key in keyset}
    found = {key.partition(":")[2] or key[1:] for key in keys}
    found = {word[: max(3, len(word) - 2)] for word in found if len(word) >= 3}
    return found, sorted({len(prefix) for prefix in found})


_PREFIXES, _PREFIX_LENGTHS = _prefixes()


def _may_match(word: str) -> bool:
    return not any(c.isdigit() for c in word) and any(word[:n] in _PREFIXES for n in _PREFIX_LENGTHS)


@lru_cache(maxsize=100_000)
def _word(word: str) -> tuple[frozenset, frozenset, tuple]:
    """A folded word's keys (itself, its stem in each language), its concepts (typos and compounds
    included) and the keys that begin a phrase."""
    keys = {"=" + word}
    stop = any(is_stopword(word, language) for language in STEMMED_LANGUAGES)  # "les" is not "lisent"
    if not stop and len(word) <= LONGEST_WORD and _may_match(word):
        keys |= {f"{language}:{index_term(word, language)}" for language in STEMMED_LANGUAGES}
    concepts = set(_MARKS.get(word, ()))
    for key in keys:
        concepts |= _SINGLE.get(key, set())
    if not concepts and not stop and 5 <= len(word) <= LONGEST_WORD and word.isalpha():
        near = _near(word)
        if near:
            keys.add(near)
            concepts |= _SINGLE.get(near, set())
        elif len(word) >= 8:
            concepts |= _compound(word)
    return frozenset(keys), frozenset(concepts), tuple(key for key in keys if key in _PHRASES)


def _near(word: str) -> str | None:
    """The word of the lists this one is a typo of (the help centre's distance), or None."""
    limit = 2 if len(word) >= 9 else 1
    candidates = set()
    for variant in _deletions(word, limit):
        candidates |= _DELETES.get(variant, set())
    best = None
    for candidate in sorted(candidates):
        if candidate[0] != word[0]:
            continue
        distance = edit_distance(word, candidate, limit)
        if distance <= limit and (best is None or distance < best[0]):
            best = (distance, candidate)
    return _RAW_WORDS[best[1]] if best else None


def _compound(word: str) -> set[str]:
    """Concepts of the known first or last part of a compound (Einlasskontrolle, Ticketscanner)."""
    concepts = set()
    for cut in range(4, len(word) - 3):
        for part in (word[:cut], word[cut:]):
            concepts |= _SINGLE.get("=" + part, set())
            if _may_match(part):
                concepts |= _SINGLE.get("de:" + index_term(part, "de"), set())
    return concepts & _COMPOUND_CONCEPTS


_COMPOUND_CONCEPTS = {
    *OBJECTS,
    "fail",
    "problem",
    "slow",
    "slow_severe",
    "queue",
    "people",
    "wrong",
    "invoice",
    "account",
    "feature",
    "discount",
    "tier",
}


# --- reading a text -----------------------------------------------------------------------------------


@dataclass(slots=True)
class Token:
    surface: str
    keys: frozenset
    concepts: set
    phrase: str = ""
    part: int = 0  # which comma- or colon-separated part of its clause


def _tokens(sentence: str, amounts: list[str]) -> list[Token]:
    tokens, starts, part, end = [], [], 0, 0
    for match in WORD.finditer(sentence):
        part += (
            any(c in ",:" for c in sentence[end : match.start()])
            or sentence[match.end() : match.end() + 1] == ")"
        )
        end = match.end()
        folded = _fold(match.group())
        if not folded:
            continue
        keys, concepts, phrase_keys = _word(folded)
        if phrase_keys:
            starts.append((len(tokens), phrase_keys))
        shown = amounts.pop() if folded == "amountmark" and amounts else _MARK_SURFACES.get(folded)
        tokens.append(Token(shown or match.group().lower(), keys, set(concepts), part=part))
    spans: dict[int, set[str]] = {}  # phrases replace what their words meant alone (objects stay)
    for start, phrase_keys in starts:
        for key in phrase_keys:
            for concept, rest in _PHRASES[key]:
                end = _phrase_end(tokens, start, rest)
                if end is not None:
                    surface = " ".join(t.surface for t in tokens[start : end + 1])
                    for position in range(start, end + 1):
                        spans.setdefault(position, set()).add(concept)
                        tokens[position].phrase = surface
    for position, concepts in spans.items():
        token = tokens[position]
        if concepts <= _ADDING:  # "code barre", "file attente": one more object, nothing taken away
            token.concepts |= concepts
        else:  # "pas de problème", "working again": the phrase means something else than its words
            kept = {"mild"} if concepts & {"intense", "neg", "not_a_failure"} else {*OBJECTS, "mild"}
            token.concepts = {c for c in token.concepts if c in kept} | concepts
        token.surface = token.phrase
    return tokens


def _phrase_end(tokens: list[Token], start: int, rest: list[frozenset]) -> int | None:
    position = start
    for keys in rest:
        for step in (1, 2, 3):  # at most two other words between two words of a phrase
            following = tokens[position + step] if position + step < len(tokens) else None
            if following and following.part == tokens[start].part and following.keys & keys:
                position += step
                break
        else:
            return None
    return position


def clauses(text: str):
    """(tokens, asked?, sentence number) per clause: a clause ends at a sentence end or a word that turns
    the thought."""
    text = _SERVER_ERROR.sub(" servererrormark ", _ZERO_PRICE.sub(" zeropricemark ", text))
    if any(quote in text for quote in "'\"«„“‘"):
        text = _QUOTED.sub(lambda match: match.group() + " quotedmark ", text)
    if "%" in text:
        text = _PERCENT.sub(" percentmark ", text)
    if "404" in text or "found" in text.lower():
        text = _NOT_FOUND.sub(" notfoundmark ", text)
    amounts = [match.group().strip() for match in _AMOUNT.finditer(text)][::-1]  # shown in reasons
    text = _AMOUNT.sub(" amountmark ", text)
    for number, sentence in enumerate(_SENTENCE.findall(text)):
        question = "?" in sentence
        clause = []
        for token in _tokens(sentence, amounts):
            if "split" in token.concepts:
                if clause:
                    yield clause, question, number
                clause = []
            else:
                clause.append(token)
        if clause:
            yield clause, question, number


def surface(tokens: list[Token]) -> str:
    surfaces = [t.surface for t in tokens]
    return " ".join(s for n, s in enumerate(surfaces) if not n or s != surfaces[n - 1])
