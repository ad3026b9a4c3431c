"""Hooks for the apps above the hub (the hub never imports them), and the one way services send a domain
event: after their transaction commits, so that listeners never see a change that was rolled back."""

from django.db import transaction
from django.dispatch import Signal

# Sent with ``user`` after a role was granted or revoked.
roles_changed = Signal()


def send_on_commit(signal: Signal, sender, **arguments) -> None:
    """Send ``signal`` with ``arguments`` (ids and plain values) once the current transaction commits; at
    once when none is open; never when it rolls back. A failing receiver is logged, not raised, so that one
    listener cannot undo or hide what was committed."""
    transaction.on_commit(lambda: signal.send_robust(sender=sender, **arguments))


# Sent once by ``hub.wsgi`` when a web process (a gunicorn worker, runserver) has loaded Django, before it
# serves: apps build what the first requests would otherwise wait for. No arguments.
web_process_started = Signal()

# Sent by the signed inbound-SMS webhook with ``number`` (E.164) and ``body`` (the text as received), after
# the hub handled opt-out words; apps act on replies meant for them (the support desk's "ACK").
sms_received = Signal()
