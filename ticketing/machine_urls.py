"""Language-neutral addresses: what QR codes, payment providers and the demo bank call."""

from django.urls import path

from .payments import demobank_views
from .views import public

urlpatterns = [
    path("t/<str:secret>/", public.ticket_page, name="ticket"),
    path("t/<str:secret>/qr.png", public.ticket_qr, name="ticket_qr"),
    path("payments/<str:provider>/notify/", public.payment_notify, name="payment_notify"),
    path("demobank/pay/<str:token>/", demobank_views.pay, name="demobank_pay"),
]
