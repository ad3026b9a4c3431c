"""``chatbot_eval``: intent accuracy per language and the confusions on chatbot/eval/intents.jsonl, and FAQ
top-1 on the help centre's evaluation questions (needs the help content: ``load_help_content``)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from chatbot import evaluation


class Command(BaseCommand):
    help = "Score the chatbot: intents per language (held-out set) and FAQ top-1 (help centre questions)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--intents", default=str(evaluation.INTENT_SET), help="JSON lines: text, lang, intent"
        )
        parser.add_argument(
            "--faq",
            nargs="+",
            default=[str(path) for path in evaluation.FAQ_SETS],
            help="TOML files of [[q]] key, lang, text: help-centre questions",
        )
        parser.add_argument(
            "--no-faq", action="store_true", help="Skip the FAQ part (no help content needed)."
        )

    def handle(self, *args, intents: str, faq: list[str], no_faq: bool, **options):
        report = {"intents": evaluation.intents(Path(intents))}
        if not no_faq:
            report["faq"] = evaluation.faq(tuple(Path(path) for path in faq))
        report["targets"] = {"intent_accuracy": 0.95, "faq_top1": 0.90}
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
