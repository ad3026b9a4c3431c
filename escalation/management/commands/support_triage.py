"""``support_triage``: the urgency rules (``escalation.triage``) over JSON lines, or an evaluation set scored.

    python manage.py support_triage < requests.jsonl
    python manage.py support_triage --evaluate escalation/triage_data/triage_dev.jsonl [--errors]

Each input line is ``{"text": "...", "lang": "fr"}`` (``lang`` optional: detected when missing; optional
``channels``, a list of the request form's channel values, and ``show``, the title of a show starting within
6 hours). Each answer is one line ``{"urgent": true, "reasons": [...], "priority": "..."}``, in the order of
the input; a line that cannot be read is answered ``{"error": "..."}`` and the next line is read. Blank lines
are not requests and get no answer.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from escalation.models import SalesChannel
from escalation.triage import TriageContext, detect_language, evaluate, triage

LANGUAGES = ("fr", "de", "en")


def parse(line: str) -> dict:
    """The request of one input line, or ValueError saying what is wrong with it."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON: {error.msg}") from None
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    text, lang = data.get("text"), data.get("lang")
    if not isinstance(text, str):
        raise ValueError('"text" must be a string')
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f'"lang" must be one of {", ".join(LANGUAGES)}')
    channels = data.get("channels", [])
    if not isinstance(channels, list) or any(c not in SalesChannel.values for c in channels):
        raise ValueError(f'"channels" must be a list of {", ".join(SalesChannel.values)}')
    show = data.get("show", "")
    if not isinstance(show, str):
        raise ValueError('"show" must be a string')
    return {"text": text, "lang": lang or detect_language(text), "channels": channels, "show": show}


class Command(BaseCommand):
    help = "Triage support requests read as JSON lines on stdin (urgent, reasons, priority), or score a set."
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument(
            "--evaluate", metavar="JSONL", help="Score a set (text, lang, urgent) per language."
        )
        parser.add_argument("--errors", action="store_true", help="With --evaluate: list what was misjudged.")

    def handle(self, *args, evaluate: str | None = None, errors: bool = False, **options):
        if evaluate:
            return self.score(evaluate, errors)
        for line in options.get("stdin") or sys.stdin:
            if not line.strip():
                continue
            try:
                request = parse(line)
            except ValueError as error:
                answer = {"error": str(error)}
            else:
                context = TriageContext(show=request["show"])
                result = triage(
                    request["text"], request["lang"], channels=request["channels"], context=context
                )
                answer = result.as_dict()
            self.stdout.write(json.dumps(answer, ensure_ascii=False))
            self.stdout.flush()

    def score(self, path: str, errors: bool) -> None:
        try:
            with open(path, encoding="utf-8") as file:
                rows = [json.loads(line) for line in file if line.strip()]
        except (OSError, json.JSONDecodeError) as error:
            raise CommandError(f"cannot read {path}: {error}") from None
        self.stdout.write(json.dumps(evaluate(rows), indent=2))
        if errors:
            for row in rows:
                result = triage(row["text"], row.get("lang"), channels=row.get("channels", ()))
                if result.urgent != row["urgent"]:
                    kind = "missed" if row["urgent"] else "flagged"
                    self.stdout.write(f"{kind} [{row.get('lang')}] {row['text']} -> {result.reasons}")
