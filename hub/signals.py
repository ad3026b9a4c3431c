"""Hooks for the apps above the hub (the hub never imports them)."""

from django.dispatch import Signal

# Sent with ``user`` after a role was granted or revoked.
roles_changed = Signal()

# Sent once by ``hub.wsgi`` when a web process (a gunicorn worker, runserver) has loaded Django, before it
# serves: apps build what the first requests would otherwise wait for. No arguments.
web_process_started = Signal()
