"""French and German typography in what readers see: the catalogues, the help content, the demo texts.

French: a no-break space (U+00A0, one convention everywhere) before ? ! : ; and inside « guillemets », between
an amount and € or %, and in thousands; one apostrophe (’); "e-mail", never "courriel", "mail" or "email".
German: „…“ quotes, no space before ? ! : ;, "E-Mail".
"""

import re
import tomllib
from io import StringIO
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
HELP_CONTENT = ROOT / "helpcenter" / "content" / "help_centre.toml"
NBSP = "\u00a0"

CODE = re.compile(r"<code>.*?</code>", re.S)
TAG = re.compile(r"<[^>]+>")  # goes without a trace: "<b>Par SMS</b>\u00a0:" reads "Par SMS\u00a0:"
# What else is not prose: entities, addresses, template syntax. Placeholders are read as a word ("X").
NOT_PROSE = re.compile(r"&#?\w+;|\b[a-z]+://\S*|\S+@\S+\.\w+|\{\{.*?\}\}|\{%.*?%\}")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")

FRENCH_RULES = [
    ("a straight apostrophe (write ’)", re.compile(r"'")),
    ("a space that can break before ? ! : ; (write U+00A0)", re.compile(r"[ \t\n\u202f][?!:;]")),
    ("? ! : ; glued to the word before", re.compile(r"(?<=[^\s\u00a0\u202f?!])[?!:;](?!\d)")),
    ("« not followed by a no-break space", re.compile(r"«(?!\u00a0)")),
    ("» not preceded by a no-break space", re.compile(r"(?<!\u00a0)»")),
    (
        "an amount or a percentage that can break (write 25,00\u00a0€)",
        re.compile(r"(?:\d|\bX)[ \u202f]?[€%]"),
    ),
    ("thousands that can break (write 1\u00a0250)", re.compile(r"\b\d{1,3}(?: \d{3})+(?:,\d+)?\s?€")),
    ("“courriel” (write e-mail)", re.compile(r"courriel", re.I)),
    ("“mail” or “email” (write e-mail)", re.compile(r"(?<![\w-])e?mails?\b", re.I)),
]
GERMAN_RULES = [
    ("a straight or English double quote (write „…“)", re.compile(r"[\"”]")),
    ("„ and “ that do not pair", re.compile(r"^[^„]*“|“[^„]*“|„[^“]*(?:„|$)")),
    ("a space before ? ! : ;", re.compile(r"[ \u00a0\u202f][?!:;]")),
    ("“Email” or “Mail” (write E-Mail)", re.compile(r"(?<![\w-])(?!E-Mails?\b)(?:e-?mail|mail)s?\b", re.I)),
]
RULES = {"fr": FRENCH_RULES, "de": GERMAN_RULES}


def prose(text: str) -> str:
    text = TAG.sub("", CODE.sub(" ", text))
    return PLACEHOLDER.sub("X", NOT_PROSE.sub(" ", text))


def faults(texts, language):
    """``[(where, rule, excerpt)]`` for every rule a text breaks."""
    found = []
    for where, text in texts:
        checked = prose(text)
        for rule, pattern in RULES[language]:
            for match in pattern.finditer(checked):
                excerpt = checked[max(match.start() - 30, 0) : match.end() + 10].replace(NBSP, "⍽")
                found.append((where, rule, excerpt))
    return found


def catalogue(language):
    entries = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    for entry in entries:
        if not entry.obsolete:
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                yield entry.msgid[:60], text


def help_content(language):
    """Every text of one language in the content file; slugs are addresses, not prose."""

    def walk(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                if key != "slug":
                    yield from walk(value, [*path, key])
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from walk(value, [*path, str(index)])
        elif isinstance(node, str) and language in path:
            yield ".".join(path), node

    yield from walk(tomllib.loads(HELP_CONTENT.read_text("utf-8")), [])


@pytest.mark.parametrize("language", ["fr", "de"])
def test_the_catalogue_follows_the_typography_of_its_language(language):
    assert not faults(catalogue(language), language)


@pytest.mark.parametrize("language", ["fr", "de"])
def test_the_help_content_follows_the_typography_of_its_language(language):
    texts = list(help_content(language))
    assert len(texts) > 100, "the content file was read"
    assert not faults(texts, language)


@pytest.mark.django_db
def test_the_demo_texts_follow_the_typography_of_their_language():
    from statuspage import demo as status_demo
    from statuspage.models import Component, ComponentGroup, Incident, IncidentUpdate, Playbook
    from ticketing import demo as ticketing_demo
    from ticketing.models import Category, Event

    for demo in (status_demo, ticketing_demo):  # the help centre's demo is the content file, read above
        demo.load(stdout=StringIO())
    fields = {
        ComponentGroup: ["name"],
        Component: ["name", "description"],
        Playbook: ["title", "body"],
        Event: ["title", "description"],
        Category: ["name"],
    }
    for language in ("fr", "de"):
        texts = [
            (f"{model.__name__}.{field}_{language}", value)
            for model, names in fields.items()
            for field in names
            for value in model.objects.values_list(f"{field}_{language}", flat=True)
        ]
        for incident in Incident.objects.all():  # only what is written in this language, not a fallback
            written = incident.language == language
            texts.append(
                ("Incident.name", incident.name if written else incident.name_translations.get(language))
            )
        for update in IncidentUpdate.objects.all():
            written = update.language == language
            texts.append(
                ("IncidentUpdate.body", update.body if written else update.translations.get(language))
            )
        texts = [(where, text) for where, text in texts if text]
        assert len(texts) > 10
        assert not faults(texts, language)


def rules_broken(texts, language):
    return [rule for _, rule, _ in faults([("example", text) for text in texts], language)]


def test_the_rules_catch_what_they_are_for():
    wrong = [
        "Toujours bloqué ?",
        "Centre d'aide",
        "Code abîmé? Saisissez",
        "«\u00a0Mes billets »",
        "25,00 €",
        "%(amount)s €",
        "1 250,00\u00a0€",
        "par courriel",
        "votre mail",
        "Merci\u202f!",
    ]
    assert all(rules_broken([text], "fr") for text in wrong)
    right = [
        "Toujours bloqué\u00a0? Il est 10:30, voyez https://guichet.example/fr/status/?x=1.",
        "Sous la forme <code>Authorization: Bearer …</code>, à %(email)s\u00a0: l’e-mail part.",
        "«\u00a0%(name)s\u00a0» coûte 1\u00a0250,00\u00a0€, soit 1,25\u00a0% de plus\u00a0; des e-mails.",
    ]
    assert not rules_broken(right, "fr")
    wrong = ['Reiter "Mitglieder"', "Reiter “Mitglieder”", "Reiter „Mitglieder", "Fertig !", "per Mail"]
    assert all(rules_broken([text], "de") for text in wrong)
    assert not rules_broken(["Reiter „Mitglieder“: per E-Mail, an %(email)s."], "de")


def test_the_support_desk_demo_texts_follow_the_typography_of_their_language():
    from escalation import demo

    for language in ("fr", "de"):
        texts = [
            (f"request {subject}", text)
            for code, subject, body, *_ in demo.REQUESTS
            if code == language
            for text in (subject, body)
        ]
        texts.append(("answer", demo.ANSWERS[language]))
        if language == "fr":
            texts.append(("escalation reason", demo.ESCALATION_REASON))
        assert not faults(texts, language)
