"""Endpoints outside the language prefix: the signed inbound-email webhook (django-anymail, Mailgun)."""

from django.urls import path

from . import views

urlpatterns = [
    path("hooks/email/mailgun/inbound/", views.mailgun_inbound, name="mailgun_inbound"),
]
