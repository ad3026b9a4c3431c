"""``chatbot_eval``: intent accuracy per language with the confusions, and FAQ top-1 through the dialogue."""

import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_chatbot_eval_scores_intents_per_language_and_faq_top1(tmp_path, capsys, help_content):
    intents = tmp_path / "intents.jsonl"
    rows = [
        {"text": "Gibt es gerade Probleme mit der Kasse?", "lang": "de", "intent": "status"},
        {"text": "merci beaucoup", "lang": "fr", "intent": "thanks"},
        {"text": "how do I refund an order?", "lang": "en", "intent": "faq"},
        {
            "text": "how do I refund an order, please?",
            "lang": "en",
            "intent": "greet",
        },  # labelled wrong on purpose
    ]
    intents.write_text("\n".join(json.dumps(row) for row in rows), "utf-8")
    questions = tmp_path / "questions.toml"
    questions.write_text(
        '[[q]]\nkey = "refund-order"\nlang = "en"\ntext = "how do I refund an order?"\n'
        '[[q]]\nkey = ""\nlang = "en"\ntext = "what is the weather in Lisbon"\n',
        "utf-8",
    )
    call_command("chatbot_eval", "--intents", str(intents), "--faq", str(questions))
    report = json.loads(capsys.readouterr().out)
    assert report["intents"]["intent_accuracy"] == {"de": 1.0, "en": 0.5, "fr": 1.0, "all": 0.75}
    assert report["intents"]["confusions"] == [{"expected": "greet", "got": "faq", "count": 1}]
    assert report["faq"]["questions"] == 1 and report["faq"]["top1"] == 1.0
    assert report["targets"] == {"intent_accuracy": 0.95, "faq_top1": 0.90}
