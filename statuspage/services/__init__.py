"""Every write of the status page, split by concern: components and groups, incidents, maintenance,
playbooks, subscribers.

Each write is atomic and audited (codes in ``statuspage.audit``); after commit the public snapshot is
rebuilt (a change is public at once), subscribers are notified by a Celery task that fans out through the
outbox, and listeners get the domain events of ``statuspage.signals``.
"""

from .components import create_component, create_group, edit_component, edit_group, set_component_status
from .incidents import (
    create_incident,
    dismiss_notice,
    post_update,
    resolve_incident,
    set_playbooks,
    set_postmortem,
    translate,
)
from .maintenance import run_maintenance_schedule, schedule_maintenance
from .playbooks import create_playbook, edit_playbook
from .subscribers import (
    TooManySubscriptions,
    confirm,
    confirm_sms,
    subscribe,
    unsubscribe,
    update_preferences,
)

__all__ = [
    "TooManySubscriptions",
    "confirm",
    "confirm_sms",
    "create_component",
    "create_group",
    "create_incident",
    "create_playbook",
    "dismiss_notice",
    "edit_component",
    "edit_group",
    "edit_playbook",
    "post_update",
    "resolve_incident",
    "run_maintenance_schedule",
    "schedule_maintenance",
    "set_component_status",
    "set_playbooks",
    "set_postmortem",
    "subscribe",
    "translate",
    "unsubscribe",
    "update_preferences",
]
