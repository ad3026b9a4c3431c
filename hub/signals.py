"""Hooks for the apps above the hub (the hub never imports them)."""

from django.dispatch import Signal

# Sent with ``user`` after a role was granted or revoked.
roles_changed = Signal()
