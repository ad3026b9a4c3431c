from django.apps import AppConfig


class ChatbotConfig(AppConfig):
    name = "chatbot"

    def ready(self):
        from hub.signals import web_process_started

        from . import nlu

        # A web process loads the intent model (training it first when missing) before it serves anyone.
        web_process_started.connect(lambda **kwargs: nlu.warm(), weak=False, dispatch_uid="chatbot-warm")
