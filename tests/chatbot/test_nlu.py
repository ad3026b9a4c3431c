"""The embedded NLU: trained from the Rasa files into CHATBOT_MODEL_PATH (again when the data changes), the
language with the page's language as prior, and the components named."""

import json
import tomllib
from pathlib import Path

import joblib
import pytest
import yaml
from django.core.management import call_command

from chatbot import nlu
from chatbot.components import find_components
from chatbot.language import detect

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def model_path(settings, tmp_path):
    settings.CHATBOT_MODEL_PATH = tmp_path / "chatbot" / "intents.joblib"
    nlu.classifier.cache_clear()
    yield settings.CHATBOT_MODEL_PATH
    nlu.classifier.cache_clear()


def test_train_chatbot_writes_the_model_and_a_first_use_trains_when_it_is_missing_or_stale(
    model_path, capsys
):
    assert nlu.parse("bonjour", "fr")["intent"]["name"] == "greet"  # trained on first use
    stored = joblib.load(model_path)
    assert stored["fingerprint"] == nlu.fingerprint(nlu.examples())
    joblib.dump({**stored, "fingerprint": "other data"}, model_path)
    nlu.classifier.cache_clear()
    nlu.parse("hallo", "de")
    assert joblib.load(model_path)["fingerprint"] == stored["fingerprint"], "trained again"
    call_command("train_chatbot")
    report = json.loads(capsys.readouterr().out)
    assert report["examples"] > 2000 and report["intents"] == sorted(nlu.INTENTS)


def test_every_language_has_every_intent_and_the_faq_file_follows_the_help_centre():
    examples = nlu.examples()
    for lang in ("fr", "de", "en"):
        assert {intent for _, intent, language in examples if language == lang} == set(nlu.INTENTS), lang
    content = tomllib.loads((ROOT / "helpcenter" / "content" / "help_centre.toml").read_text("utf-8"))
    for lang in ("fr", "de", "en"):
        data = yaml.safe_load((nlu.DATA / f"faq_articles_{lang}.yml").read_text("utf-8"))
        listed = data["nlu"][0]["examples"]
        missing = [a["key"] for a in content["article"] if " ".join(a[lang]["title"].split()) not in listed]
        assert not missing, f"{lang}: regenerate faq_articles_{lang}.yml for {missing}"


@pytest.mark.parametrize(
    "text, page, expected",
    [
        ("Gibt es gerade Probleme mit der Kasse?", "fr", "de"),
        ("est-ce que les scanners fonctionnent ce soir ?", "en", "fr"),
        ("is the shop down for everyone right now", "de", "en"),
        ("merci", "fr", "fr"),
        ("ok", "de", "de"),  # short and shared: the page decides
        ("danke", "en", "de"),  # short but sure
    ],
)
def test_the_language_is_detected_with_the_page_as_prior_for_short_messages(text, page, expected):
    assert detect(text, page) == expected


@pytest.mark.parametrize(
    "text, slugs",
    [
        ("Gibt es gerade Probleme mit der Kasse?", ["pos"]),
        ("Kassensystem hängt", ["pos"]),
        ("les e-mails partent ?", ["ticket-emails"]),
        ("is the shop down and payments too?", ["online-booking", "payments"]),
        ("Die Scanner am Einlass", ["door-scanning"]),
        ("bonjour", []),
    ],
)
def test_named_components_are_found_in_every_language(text, slugs):
    assert [entity["value"] for entity in find_components(text)] == slugs
