"""``train_chatbot``: train the embedded intent classifier on chatbot/rasa/data into CHATBOT_MODEL_PATH."""

import json
import time

from django.core.management.base import BaseCommand

from chatbot import nlu


class Command(BaseCommand):
    help = "Train the chatbot's intent classifier from the Rasa NLU files (chatbot/rasa/data)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        trained = nlu.train()
        trained["seconds"] = round(time.perf_counter() - started, 2)
        self.stdout.write(json.dumps(trained, ensure_ascii=False))
