"""Rasa's HTTP API, outside the language prefix: the REST channel and the NLU parse endpoint."""

from django.urls import path

from . import views

app_name = "chatbot"
urlpatterns = [
    path("webhooks/rest/webhook", views.rest_webhook, name="webhook"),
    path("webhooks/rest/", views.rest_health, name="health"),
    path("model/parse", views.model_parse, name="parse"),
]
