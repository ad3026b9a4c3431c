"""Workaround playbooks (S5, P2–P6), shown with the incidents they are attached to."""

from django.db import transaction

from hub.audit import log_action
from hub.permissions import require_operator

from ..audit import Action
from ..models import Playbook
from .common import publish_change


@transaction.atomic
def save_playbook(*, actor, playbook: Playbook, **fields) -> Playbook:
    require_operator(actor)
    for name, value in fields.items():
        setattr(playbook, name, value)
    playbook.full_clean()
    playbook.save()
    log_action(actor, Action.PLAYBOOK_SAVED, playbook, {"fields": sorted(fields)})
    publish_change()
    return playbook
