"""Urgency triage (C4): the rules on our development set per language, the traps, context, the reasons'
wording, and the ``support_triage`` command's JSON-lines contract. The former blind evaluation set
(``triage_eval.jsonl``) is development data now (the learned second opinion trains on it); the blind set
(``triage_blind.jsonl``) is never read here nor by the rules: the lead scores it with ``--evaluate``."""

import io
import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from escalation import triage_model
from escalation.models import Priority, SalesChannel
from escalation.selectors import triage_context
from escalation.triage import ALONE, TriageContext, detect_language, evaluate, read, triage
from statuspage.models import Component, ComponentStatus, Incident, IncidentComponent

from ..ticketing.factories import EventFactory, OrganisationFactory

ROOT = Path(__file__).resolve().parents[2]
DEV_SET = Path(triage_model.FOLDER) / "triage_dev.jsonl"
ROWS = [json.loads(line) for line in DEV_SET.read_text("utf-8").splitlines() if line.strip()]


def test_the_development_set_is_large_balanced_and_has_traps():
    for lang in ("fr", "de", "en"):
        rows = [row for row in ROWS if row["lang"] == lang]
        urgent = sum(row["urgent"] for row in rows)
        assert len(rows) >= 60 and 0.4 <= urgent / len(rows) <= 0.6, lang
        assert {"text", "lang", "urgent", "note"} <= set(rows[0])


@pytest.mark.parametrize("lang", ["fr", "de", "en"])
def test_at_most_one_urgent_request_of_the_development_set_is_missed_and_few_are_flagged_wrongly(lang):
    """The rules were tuned on this set; where the learned model doubts them (a question such as "How come
    the scanner doesn't scan?") one miss per language is allowed. The held-out numbers are in the note."""
    scores = evaluate(row for row in ROWS if row["lang"] == lang)[lang]
    missed = [
        r["text"] for r in ROWS if r["lang"] == lang and r["urgent"] and not triage(r["text"], lang).urgent
    ]
    assert len(missed) <= 1, missed
    assert scores["false_positive_rate"] <= 0.10


@pytest.mark.parametrize(
    "text",
    [
        "the gates are stuck",
        "people are queuing outside",
        "nobody can get in",
        "Einlass geht nicht",
        "la billetterie plante",
        "prices show 0 €",
        "wrong price",
        "site super slow / timeouts",
        "le scannr veut rien savoir, chekin bloqué",  # typos
        "ENTREE BLOQUEE !!!",  # capitals, no accents
        "Ticketscanner streikt",  # a compound
        "hello, la caisse ne marche plus, we can't sell",  # mixed languages
    ],
)
def test_new_words_for_urgent_problems_are_read(text):
    result = triage(text)
    assert result.urgent and result.priority == Priority.URGENT and result.reasons, result


@pytest.mark.parametrize(
    "text",
    [
        "URGENT!!! question about my invoice",
        "URGENT : je veux changer mon mot de passe",
        "no problem with the scanner, just a question about the invoice",
        "Kein Problem mit dem Scanner, nur eine Frage zur Abrechnung",
        "Gestern ging der Einlass nicht, jetzt funktioniert wieder alles.",
        "Hier le scanner ne marchait pas mais c'est réglé maintenant",
        "How does scanning work in general?",
        "It would be great if the scanner could work offline",
        "Que faire si le scanner tombe en panne pendant l'événement ?",
        "I don't know how the door scanner works",
    ],
)
def test_traps_are_not_urgent(text):
    assert not triage(text).urgent


def test_a_problem_that_lasts_is_urgent_even_when_it_began_in_the_past():
    assert triage("Depuis hier soir le scanner ne marche plus").urgent
    assert triage("It was fixed yesterday but the scanner is down again").urgent


def test_reasons_name_the_reason_and_quote_the_words_of_the_request():
    assert triage("Le scanner ne marche pas à l'entrée").reasons == [
        "blocks check-in: 'scanner', 'entrée', 'ne marche pas'"
    ]
    assert triage("Preise im Shop sind falsch").reasons == ["sells at wrong prices: 'preise', 'falsch'"]
    assert triage("every page times out, error 504").reasons[0].startswith("degrades performance: ")


def test_feature_requests_are_low_and_ordinary_questions_normal():
    assert triage("Feature request: a dark mode for the scanner app").priority == Priority.LOW
    assert triage("Bonjour, où trouver le plan de salle ?").priority == Priority.NORMAL


def test_context_alone_raises_the_priority_and_with_a_symptom_makes_it_urgent():
    show = TriageContext(show="Concert 1")
    calm = triage("Bonjour, une question sur le plan de salle", context=show)
    assert (calm.urgent, calm.priority) == (False, Priority.HIGH)
    assert calm.reasons == ["show starting within 6 hours: 'Concert 1'"]
    mild = triage("le site est un peu lent")
    assert (mild.urgent, mild.priority) == (False, Priority.HIGH)
    assert triage("le site est un peu lent", context=show).urgent
    # a shouted invoice stays what it is, show or not
    assert triage("URGENT question sur ma facture", context=show).priority == Priority.NORMAL


def test_an_incident_makes_a_symptom_on_its_channel_urgent_and_only_there():
    incident = TriageContext(incidents=(("INC-1", frozenset({SalesChannel.DOOR_SCANNING.value})),))
    with translation.override("en"):  # the reason names the channel in the active language
        on_it = triage("ça ne marche pas", channels=[SalesChannel.DOOR_SCANNING], context=incident)
    assert on_it.urgent
    assert on_it.reasons == [
        "blocks check-in (with context): 'ne marche pas'",
        "open incident INC-1 on Door scanning",
    ]
    elsewhere = triage("ça ne marche pas", channels=[SalesChannel.ONLINE_SHOP], context=incident)
    assert (elsewhere.urgent, elsewhere.priority) == (False, Priority.HIGH)
    question = triage("une question sur le scan", channels=[SalesChannel.DOOR_SCANNING], context=incident)
    assert (question.urgent, question.priority) == (False, Priority.HIGH)


@pytest.mark.django_db
def test_the_context_comes_from_the_organisations_shows_and_the_open_incidents():
    now = timezone.now()
    organisation = OrganisationFactory()
    EventFactory(organisation=organisation, title_fr="Plus tard", starts_at=now + timedelta(hours=8))
    assert triage_context(organisation, [SalesChannel.DOOR_SCANNING], now=now) == TriageContext()
    EventFactory(organisation=organisation, title_fr="Ce soir", starts_at=now + timedelta(hours=3))
    door = Component.objects.create(slug="door-scanning", name_fr="Contrôle d’accès")
    shop = Component.objects.create(slug="online-booking", name_fr="Réservation en ligne")
    incident = Incident.objects.create(name="Scans lents", status=Incident.Status.INVESTIGATING)
    IncidentComponent.objects.create(incident=incident, component=door, status=ComponentStatus.DEGRADED)
    context = triage_context(organisation, [SalesChannel.DOOR_SCANNING, SalesChannel.PAYOUTS], now=now)
    assert context.show == "Ce soir"
    assert context.incidents == ((incident.code, frozenset({"door_scanning"})),)
    assert triage_context(organisation, [SalesChannel.ONLINE_SHOP], now=now).incidents == ()
    assert shop.pk


def test_the_language_is_detected_when_missing():
    assert detect_language("le scanner ne marche pas à l'entrée") == "fr"
    assert detect_language("der Einlass geht nicht mehr") == "de"
    assert detect_language("the gates are stuck and nobody can get in") == "en"


def test_the_command_answers_one_json_line_per_request_in_order_and_reports_bad_lines():
    lines = [
        json.dumps({"text": "Einlass geht nicht", "lang": "de"}),
        "not json",
        json.dumps({"text": "URGENT!!! question about my invoice"}),
        json.dumps({"lang": "fr"}),
        "",
        json.dumps({"text": "la billetterie plante", "lang": "es"}),
        json.dumps(["a list"]),
        json.dumps({"text": "le site est un peu lent", "channels": ["door_scanning"], "show": "Concert"}),
    ]
    out = io.StringIO()
    call_command("support_triage", stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out)
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(answers) == 7  # the blank line is no request
    assert answers[0] == {
        "urgent": True,
        "reasons": ["blocks check-in: 'einlass', 'geht nicht'"],
        "priority": "urgent",
    }
    assert set(answers[1]) == {"error"}
    assert answers[2] == {"urgent": False, "reasons": [], "priority": "normal"}
    assert set(answers[3]) == set(answers[4]) == set(answers[5]) == {"error"}
    assert answers[6]["urgent"] is True and answers[6]["priority"] == "urgent"


def test_the_command_reads_stdin_in_a_real_process():
    done = subprocess.run(
        [sys.executable, "manage.py", "support_triage"],
        input='{"text": "nobody can get in", "lang": "en"}\n{"text": 42}\n',
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first["urgent"] is True and list(first) == ["urgent", "reasons", "priority"]
    assert "error" in second


def test_the_command_scores_a_set_per_language():
    out = io.StringIO()
    call_command("support_triage", evaluate=str(DEV_SET), stdout=out)
    report = json.loads(out.getvalue())
    keys = {"n", "urgent", "tp", "fp", "fn", "precision", "recall", "false_positive_rate"}
    assert set(report) == {"fr", "de", "en", "all"} and all(set(scores) == keys for scores in report.values())
    assert report["all"]["n"] == len(ROWS)


@pytest.mark.parametrize(
    "text", ["", "   ", "😀😀 !!!", "日本語のテキスト", "\x00", "x" * 5000, "Salle 502, commande 500"]
)
def test_any_text_gets_an_answer_and_numbers_alone_are_no_server_error(text):
    assert triage(text) == triage(text) and not triage(text).urgent


@pytest.mark.parametrize(
    "text",
    [
        "Einlass-Handys zeigen nur noch den Kreisel, 300 Leute vor der Halle",  # a symptom described
        "Kiosk takes the payment but doesn't print the ticket",  # object and failure across "but"
        "le terminal de la caisse affiche 'transaction interrompue' à chaque carte",  # a quoted message
        "Code THANKS10 gives 100% off instead of 10%",  # a percentage instead of another
        "scanning down at the door, doors opened 10 mins ago pls call",  # minutes ago is now
    ],
)
def test_symptoms_told_rather_than_named_are_urgent(text):
    assert triage(text).urgent


@pytest.mark.parametrize(
    "text",
    [
        "A buyer was charged twice and wants one of the payments back",  # one buyer's trouble
        "URGENT: the invoice for the kiosk sales shows a wrong amount, please fix",  # a silencer
        "Salle 502, commande 500",
    ],
)
def test_one_buyers_trouble_and_silenced_requests_stay_calm_even_for_the_learned_opinion(text):
    assert not triage(text).urgent


def test_the_learned_opinion_is_trained_on_the_development_sets_only():
    assert not [name for name in triage_model.SETS if "blind" in name]
    assert len(triage_model.load()) > 1000 and triage_model.model().blocks


def test_a_symptom_in_words_the_rules_do_not_know_is_urgent_with_the_words_that_weighed():
    text = "Im Shop steht 'ausverkauft', es sind aber noch 300 Plätze frei. Premiere heute!"
    assert not read(text).strong and triage_model.probability(text) > ALONE
    result = triage(text, "de")
    assert result.urgent and result.reasons[0].startswith("like urgent requests seen before")
    assert "'shop'" in result.reasons[0] and "'es'" not in result.reasons[0]  # words, and no stop words


def test_the_learned_model_scores_like_scikit_learn():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    rows = triage_model.load()[:300]
    fitted = triage_model.Model(rows)
    texts = ["la caisse tourne en rond", "FACTURE URGENTE", "Kunden zahlen 1 CHF statt 45", ""]
    reference = make_pipeline(
        make_union(
            TfidfVectorizer(sublinear_tf=True, strip_accents="unicode"),
            TfidfVectorizer(
                analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, strip_accents="unicode"
            ),
        ),
        LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced"),
    ).fit([r["text"] for r in rows], [bool(r["urgent"]) for r in rows])
    expected = reference.predict_proba(texts)[:, 1]
    assert [round(fitted.probability(t), 6) for t in texts] == [round(float(p), 6) for p in expected]
