"""Is a support request urgent (C4)? The rules, in one place; their words are in ``triage_words``.

Urgent means one of four reasons, in French, German, English or a mix, whatever the capitals:

- **blocks check-in**: something of the door (scanner, QR, Einlass, gates, entrée) fails, or people queue;
- **prevents sales**: something that sells (shop, box office, billetterie, Kasse, payment) fails;
- **sells at wrong prices**: a price with something wrong about it ("wrong price", "0 €", "Preis falsch");
- **degrades performance**: the site or app is severely slow (timeouts, "super slow", "unbenutzbar") or down.

**How a text is read.** Words are folded, stemmed and merged with synonyms exactly as the help centre's
search does (``helpcenter.selectors``); a word is matched in every language at once (requests mix them),
typos and German compounds included. The text is cut into clauses at sentence ends and at words that
turn the thought ("mais", "aber", "but", "just", "sauf"). A reason holds in a clause when its object and
a failure are both there. A failure is a failure word (plante, kaputt, stuck), a problem word (bug,
Fehler, error), or a negation near a verb of working or the object itself ("ne marche pas", "geht nicht",
"can't scan", "kein Einlass", "nobody can get in"; for selling only a firm one: "no sales", "can't sell",
not the habit "we don't sell at the door"); a negation about the writer ("I don't know how the scanner
works", "I haven't received my order", "we no longer need the till") is none, and so is one in a how-to
question ("how do I stop the scanner beeping?"). The whole site or app counts as failing when it is
broken or does not work, load, open or answer (not when it "does not show our logo").

Requests rarely name the failure: they tell what they see, so the failures include what a stuck, empty,
refusing or dead screen looks like ("a spinner", "page grise", "rien ne se passe", "bereits eingelöst"), a
device showing a quoted message ("the terminal says 'transaction aborted'"), a 404 page, "cash only"; a
discount given to everyone, or a percentage instead of another, is a wrong price. Within a sentence, an
object and a failure meet across the words that turn the thought ("the kiosk takes the money, but no ticket
comes out"), unless a clause of it is about an invoice, a wish or a hypothesis.

**What is not urgent**, whatever is shouted: invoices, payouts, commission and reports (the part of the
clause, between commas or colons, that names them, and every amount of that clause); a feature
request; a hypothesis ("what if the scanner fails?", "falls", "au cas où"); an object said to be fine
("no problem with the scanner", "le scanner marche bien"); sign-in and password trouble, unless the door
or the sales are named; and the whole request when it tells of the past (yesterday, last week) or of a
problem fixed, unless it says it lasts (still, depuis, seit) or that the doors open in minutes; one buyer's
trouble ("a customer was charged twice") is not the sales.

**The learned half** (``triage_model``: a logistic regression over words and character n-grams, trained on
the labelled sets in ``triage_data``) reads what no list holds: a request the rules find urgent stays urgent
only if the model gives it more than ``CONFIRMS`` (unless it says the problem is back: "fixed yesterday but
down again"), and one they miss is urgent when the model is sure (``ALONE``), its reason naming the words that
weighed most. Together they miss fewer urgent requests and raise fewer false alarms than either alone.

**Context** (passed in, never read here; ``escalation.selectors.triage_context`` gathers it): a show of
the organisation starting within 6 hours (or running), and open status incidents on components of the
request's channels. Context alone raises the priority to *high* (not for a text only about invoices,
accounts or wishes). Context plus any symptom makes the request *urgent*: a failure said about what the
request is about (its words or its channels), or a milder sign (slowness, an error on the site) that
alone only raises the priority to *high*. For an incident the symptom must be about that incident's
channels. Feature requests with nothing else are *low*.

Pure and fast: no database, every word list compiled at import, each distinct word analysed once.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_noop

from helpcenter.selectors import fold, is_stopword

from . import triage_model
from .models import Priority, SalesChannel
from .triage_text import WORD, Token, clauses, surface

# The reasons are stored and printed in English (``support_triage``'s output is read by scripts); their labels
# are marked for translation here and translated for agents by the ``reason`` filter (``templatetags.desk``).
REASONS = {
    "checkin": gettext_noop("blocks check-in"),
    "sales": gettext_noop("prevents sales"),
    "prices": gettext_noop("sells at wrong prices"),
    "performance": gettext_noop("degrades performance"),
}
POSSIBLY = gettext_noop("possibly %(reason)s")  # a milder sign: the priority is high, not urgent
WITH_CONTEXT = gettext_noop("%(reason)s (with context)")  # a milder sign made urgent by the context
SHOW_SOON = gettext_noop("show starting within %(hours)s hours")
OPEN_INCIDENT = gettext_noop("open incident %(code)s on %(channels)s")
CHOSEN_CHANNELS = gettext_noop("the chosen channels")
LEARNED = gettext_noop("like urgent requests seen before (learned second opinion)")
# What each channel of the request form is about, so that context and a bare "ça ne marche pas" meet.
CHANNEL_REASONS = {  # the first is what a bare "it does not work" on that channel means
    SalesChannel.ONLINE_SHOP: ("sales", "prices", "performance"),
    SalesChannel.BOX_OFFICE: ("sales", "prices", "performance"),
    SalesChannel.KIOSK: ("sales", "prices", "performance"),
    SalesChannel.DOOR_SCANNING: ("checkin", "performance"),
    SalesChannel.API_WIDGET: ("sales", "prices", "performance"),
    SalesChannel.PAYOUTS: (),
    SalesChannel.OTHER: ("performance",),
}
SHOW_HOURS = 6
VERB_OBJECTS = {"checkin", "sales", "pay"}  # negated, these words are failures ("kein Einlass", "no sales")
WINDOW_BEFORE, WINDOW_AFTER = 4, 4  # a negation and its verb ("Der Scanner liest die Tickets nicht")
# The learned model's probability (``triage_model``) for the rules' verdict to stand, and to be urgent alone;
# chosen on 300 requests the rules had never seen (triage_extra2/3, the model trained without them).
CONFIRMS, ALONE = 0.3, 0.65
FINE_REACH = 5  # "no problem with <the next words>", "<the words before> work fine"


@dataclass
class Triage:
    urgent: bool
    reasons: list[str] = field(default_factory=list)
    priority: str = Priority.NORMAL

    def as_dict(self) -> dict:
        return {"urgent": self.urgent, "reasons": list(self.reasons), "priority": str(self.priority)}


@dataclass(frozen=True)
class TriageContext:
    """What is going on for the requester's organisation (see ``escalation.selectors.triage_context``)."""

    show: str = ""  # the title of a show starting within SHOW_HOURS hours or running, "" if none
    incidents: tuple[tuple[str, frozenset], ...] = ()  # (incident code, the request's channels it touches)


@dataclass
class Finding:
    strong: dict = field(default_factory=dict)  # reason -> words
    weak: dict = field(default_factory=dict)  # reason -> words: a milder sign
    about: set = field(default_factory=set)  # reasons whose objects the text names
    failing: list = field(default_factory=list)  # failure words anywhere (for context)
    vetoed: bool = False  # a clause about invoices, accounts, wishes or a hypothesis
    wish: bool = False
    lasting: bool = False  # fixed or past, "but down again": what the learned model cannot weigh
    parts: list = field(default_factory=list)  # per clause read to the end: (objects, failure words)


def _failures(tokens: list[Token]) -> list[tuple[int, int]]:
    """Spans of failures: failure and problem words, negated verbs of working or of the object."""
    spans = [
        (i, i)
        for i, t in enumerate(tokens)
        if "fail" in t.concepts
        or ("problem" in t.concepts and not any("not_a_failure" in n.concepts for n in tokens[i + 1 : i + 3]))
    ]
    for i, token in enumerate(tokens):
        negation = token.concepts & {"neg", "neg_firm"} or (
            "neg_after_verb" in token.concepts
            and i
            and tokens[i - 1].concepts & {"action", "neg", *VERB_OBJECTS}
        )
        if token.surface == "t" and not (i and tokens[i - 1].surface.endswith("n")):
            negation = False  # "fonctionne-t-il", not "doesn't"
        if not negation:
            continue
        after = [t for t in tokens[i + 1 : i + 3] if "neg" not in t.concepts][:1]
        before = [t for t in tokens[max(0, i - 2) : i] if "neg" not in t.concepts][-1:]
        if any("not_a_failure" in t.concepts for t in after + before):
            continue
        if any("need" in t.concepts for t in tokens[max(0, i - 6) : i + 3]):  # "need ... no longer"
            continue
        near = [j for j in range(max(0, i - WINDOW_BEFORE), min(len(tokens), i + WINDOW_AFTER + 1)) if j != i]
        firm = any(t.concepts & {"neg_firm", "neg_after_verb"} for t in tokens[max(0, i - 2) : i + 3]) or (
            token.surface == "t" and tokens[i - 1].surface in ("can", "won", "couldn", "isn", "aren")
        )
        objects = {"checkin", "sales", "pay"} if firm else {"checkin"}  # "we don't sell at the door": a habit
        verbs = [j for j in near if "action" in tokens[j].concepts] or [
            j for j in near if tokens[j].concepts & objects
        ]
        if verbs:  # the negation with its verbs next to it ("can't work", "ne peut pas"), or the nearest
            close = [j for j in verbs if abs(j - i) <= 2] or [min(verbs, key=lambda j: abs(j - i))]
            spans.append((min(i, *close), max(i, *close)))
    for i, token in enumerate(tokens):  # "marked as refunded even though they're not"
        if "although" in token.concepts and any("neg" in t.concepts for t in tokens[i + 1 : i + 6]):
            spans.append((i, i))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _read_clause(tokens: list[Token], question: bool, finding: Finding) -> None:
    has = set().union(*(t.concepts for t in tokens))
    if "feature" in has or "hypothesis" in has or ("if" in has and question):  # wishes colour the clause
        finding.vetoed, finding.wish = True, finding.wish or "feature" in has
        return
    invoice = {t.part for t in tokens if "invoice" in t.concepts}  # "la facture est fausse, ..."
    if invoice:  # that part is about money owed; amounts elsewhere in the clause are the invoice's too
        finding.vetoed = True
        tokens = [t for t in tokens if t.part not in invoice]
        has = set().union(*(t.concepts for t in tokens)) - {"price", "pay"}
        if not tokens:
            return
    fine = set()
    for i, token in enumerate(tokens):
        if "fine_before" in token.concepts:
            fine.update(range(i + 1, i + 1 + FINE_REACH))
        if "fine_after" in token.concepts and not any(
            "habit" in t.concepts for t in tokens[max(0, i - 3) : i]
        ):
            fine.update(range(max(0, i - FINE_REACH), i))

    where: dict[str, list[str]] = {}
    for i, token in enumerate(tokens):
        if i not in fine:
            for concept in token.concepts:
                where.setdefault(concept, []).append(token.surface)

    def words(concept: str) -> list[str]:
        return where.get(concept, [])

    failing = [(start, end) for start, end in _failures(tokens) if start not in fine and end not in fine]
    if question and "howto" in has:  # "how do I stop the scanner from beeping?": a wish, not a failure
        failing = [
            (start, end) for start, end in failing if "fail" in tokens[start].concepts and start == end
        ]
    failure_words = [surface(tokens[start : end + 1]) for start, end in failing]
    finding.failing += failure_words
    account = "account" in has
    checkin, sales = words("checkin"), words("sales")
    pay = [] if account or invoice else words("pay")
    finding.parts.append(({"checkin": checkin, "sales": sales + pay}, failure_words))
    for reason, objects in (("checkin", checkin), ("sales", sales + pay)):
        if objects:
            finding.about.add(reason)
            if failure_words:
                finding.strong.setdefault(reason, []).extend(objects + failure_words)
    queue = words("queue")
    if queue and (words("people") or checkin):
        finding.strong.setdefault("checkin", []).extend(checkin + queue + words("people"))
    prices, wrong = ([] if invoice else words("price")), words("wrong")
    tiers = words("tier")
    if prices and len({fold(t) for t in tiers}) >= 2 and not question:  # "child tickets at the adult price"
        wrong += tiers
    if question and "howto" in has:  # "can I make a ticket free?", "comment mettre un prix à 0 € ?"
        wrong = []
    elif (sales or prices) and words("free") and not question:  # "VIP seats show up as free in the shop"
        prices, wrong = prices or sales, wrong + words("free")
    prices = prices + ([] if invoice else words("discount"))  # a discount is a price ("100 % not 10 %")
    if prices and words("everyone") and words("discount") and not question:
        wrong = wrong + words("everyone")  # "20 % off for everyone"
    if prices:
        finding.about.add("prices")
        if wrong:
            finding.strong.setdefault("prices", []).extend(prices + wrong)
    if account:
        return
    severe, slow, system = words("slow_severe"), words("slow"), words("system")
    strong_failure = [  # the whole site or app: broken, or not working, loading, opening, answering
        surface(tokens[start : end + 1])
        for start, end in failing
        if any(t.concepts & {"fail", "core"} for t in tokens[start : end + 1])
    ]
    mild = words("mild")
    if severe or (slow and (words("intense") or system) and not mild) or (system and strong_failure):
        finding.strong.setdefault("performance", []).extend(system + severe + slow + strong_failure)
    elif slow or (system and failure_words):
        finding.weak.setdefault("performance", []).extend(system + slow + failure_words)
    if slow or severe:
        finding.failing += slow + severe


def _when(tokens: list[Token]) -> tuple[bool, bool]:
    """Does the request tell of the past or of a problem fixed, and does it say that it lasts?"""
    past = resolved = lasting = False
    for i, token in enumerate(tokens):
        near = tokens[max(0, i - 2) : i + 3]
        if "resolved" in token.concepts:
            resolved = True
        elif "past" in token.concepts and not any(
            t.concepts & {"price", "recent"} for t in tokens[max(0, i - 3) : i + 4]
        ):  # not "last year's prices", nor "10 mins ago"
            past = past or not token.surface.startswith(
                ("derni", "letzt", "last", "vergang", "vorig", "pass", "past", "previous")
            )
            past = past or any("time" in t.concepts for t in near)
        elif "still" in token.concepts and not any("resolved" in t.concepts for t in near):
            lasting = True
    return past or resolved, lasting


def read(text: str) -> Finding:
    """What the rules find in ``text``, before context."""
    finding, everything, sentences = Finding(), [], {}
    for tokens, question, sentence in clauses(text or ""):
        everything += tokens
        before = (finding.vetoed, len(finding.parts))
        _read_clause(tokens, question, finding)
        parts = sentences.setdefault(sentence, [])
        if parts is not None and (finding.vetoed, len(finding.parts)) == (before[0], before[1] + 1):
            parts.append(finding.parts[-1])
        else:  # a clause about an invoice, a wish or a hypothesis: its sentence is read clause by clause
            sentences[sentence] = None
    for parts in filter(None, sentences.values()):  # "the kiosk takes the money, but no ticket comes out"
        failures = [word for _, words in parts for word in words]
        for reason in ("checkin", "sales"):
            objects = [word for found, _ in parts for word in found[reason]]
            if objects and failures and reason not in finding.strong:
                finding.strong[reason] = objects + failures
    concepts = set().union(*(t.concepts for t in everything))
    if "single" in concepts and not concepts & {"people", "everyone", "queue"}:  # one buyer's trouble
        finding.strong = {r: w for r, w in finding.strong.items() if r not in ("sales", "prices")}
    told_past, finding.lasting = _when(everything)
    if told_past and not finding.lasting:
        return Finding(vetoed=True, about=finding.about)
    finding.lasting = told_past and finding.lasting
    return finding


def _reason(label: str, words: list[str]) -> str:
    unique = list(dict.fromkeys(words))[:5]
    return f"{label}: " + ", ".join(f"'{word}'" for word in unique) if unique else label


def triage(
    text: str, lang: str | None = None, *, channels=(), context: TriageContext | None = None
) -> Triage:
    """Urgent or not, why, and the priority; ``lang`` is accepted for the record: every language is read."""
    finding = read(text)
    context = context or TriageContext()
    channels = {str(c) for c in channels}
    primary = [CHANNEL_REASONS[c][0] for c in sorted(channels) if CHANNEL_REASONS.get(c)]
    about = finding.about | set(finding.weak) | set(primary)
    reasons = [_reason(REASONS[r], w) for r, w in finding.strong.items()]
    context_reasons, relevant = [], set()
    if context.show:
        context_reasons.append(f"{SHOW_SOON % {'hours': SHOW_HOURS}}: '{context.show}'")
        relevant |= set(REASONS)
    for code, incident_channels in context.incidents:
        touched = set().union(*(CHANNEL_REASONS.get(c, ()) for c in incident_channels))
        names = ", ".join(
            str(SalesChannel(c).label) for c in sorted(incident_channels) if c in SalesChannel.values
        )
        context_reasons.append(OPEN_INCIDENT % {"code": code, "channels": names or CHOSEN_CHANNELS})
        if set(incident_channels) & channels or finding.about & touched - {"performance"}:
            relevant |= touched
    learned = triage_model.probability(text or "")
    if reasons and (learned > CONFIRMS or finding.lasting):
        return Triage(True, reasons + context_reasons, Priority.URGENT)
    weak = [_reason(REASONS[r], w) for r, w in finding.weak.items()]
    if (finding.failing or weak) and about & relevant:  # context and a symptom about it
        if not weak:
            hits = [r for r in (*sorted(finding.about), *primary) if r in relevant] or sorted(
                about & relevant
            )
            weak = [_reason(WITH_CONTEXT % {"reason": REASONS[hits[0]]}, finding.failing)]
        return Triage(True, weak + context_reasons, Priority.URGENT)
    if learned > ALONE:  # a symptom in words the rules do not know
        evidence = [w for w in triage_model.model().evidence(text) if len(w) > 2 and not _stopword(w)]
        return Triage(True, [_reason(LEARNED, evidence)] + context_reasons, Priority.URGENT)
    weak = [POSSIBLY % {"reason": r} for r in reasons + weak]  # a milder sign, or the model doubts the rules
    if weak or (context_reasons and not (finding.vetoed and not about)):
        return Triage(False, weak + context_reasons, Priority.HIGH)
    return Triage(False, [], Priority.LOW if finding.wish and not about else Priority.NORMAL)


def _stopword(word: str) -> bool:
    return any(is_stopword(word, lang) for lang in ("fr", "de", "en"))


def detect_language(text: str) -> str:
    """fr, de or en: the language whose stop words the text uses most (en when it cannot tell)."""
    words = WORD.findall(fold(text or ""))
    counts = {lang: sum(is_stopword(w, lang) for w in words) for lang in ("en", "fr", "de")}
    return max(counts, key=lambda lang: counts[lang])


def evaluate(rows) -> dict:
    """Precision, recall and false-positive rate per language (and "all") of ``rows``: dicts with text,
    lang (detected when missing) and the expected ``urgent``."""
    counts: dict[str, dict] = {
        lang: {"n": 0, "urgent": 0, "tp": 0, "fp": 0, "fn": 0} for lang in ("fr", "de", "en")
    }
    for row in rows:
        lang = row.get("lang") or detect_language(row["text"])
        flagged = triage(row["text"], lang, channels=row.get("channels", ())).urgent
        for group in (lang, "all"):
            c = counts.setdefault(group, {"n": 0, "urgent": 0, "tp": 0, "fp": 0, "fn": 0})
            c["n"] += 1
            c["urgent"] += bool(row["urgent"])
            c["tp"] += flagged and row["urgent"]
            c["fp"] += flagged and not row["urgent"]
            c["fn"] += not flagged and row["urgent"]
    counts = {lang: c for lang, c in counts.items() if c["n"]}
    for c in counts.values():
        flagged, calm = c["tp"] + c["fp"], c["n"] - c["urgent"]
        c["precision"] = round(c["tp"] / flagged, 3) if flagged else 1.0
        c["recall"] = round(c["tp"] / c["urgent"], 3) if c["urgent"] else 1.0
        c["false_positive_rate"] = round(c["fp"] / calm, 3) if calm else 0.0
    return counts
