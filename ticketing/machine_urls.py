"""Language-neutral addresses: what QR codes, payment providers and the demo bank call."""

from django.urls import path

from .payments import demobank_views
from .views import door, pos, public

urlpatterns = [
    path("t/<str:secret>/", door.ticket, name="ticket"),
    path("t/<str:secret>/scan/", door.ticket_scan, name="ticket_scan"),
    path("scans/<int:scan_id>/undo/", door.undo, name="scan_undo"),
    path("scans/<int:scan_id>/admit-offline/", door.admit_offline, name="scan_admit_offline"),
    # the box office's point of sale (a web app with its service worker, under one scope)
    path("pos/", pos.pos, name="pos"),
    path("pos/sw.js", pos.service_worker, name="pos_service_worker"),
    path("pos/manifest.webmanifest", pos.manifest, name="pos_manifest"),
    path("pos/stations/<int:pk>/pair/", pos.pair, name="pos_pair"),
    path("t/<str:secret>/qr.png", public.ticket_qr, name="ticket_qr"),
    path("payments/<str:provider>/notify/", public.payment_notify, name="payment_notify"),
    # A 404 unless the demo bank is the provider: the view decides per request.
    path("demobank/pay/<str:token>/", demobank_views.pay, name="demobank_pay"),
]
