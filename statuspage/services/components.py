"""Components' statuses, set by hand by operators."""

from django.db import transaction
from django.utils import timezone

from hub.audit import log_action
from hub.permissions import require_operator

from ..audit import Action
from ..models import Component
from .common import publish_change, record_status, valid_component_status


@transaction.atomic
def set_component_status(*, actor, component: Component, status: str) -> Component:
    require_operator(actor)
    status = valid_component_status(status)
    previous = record_status(component, status, timezone.now())
    if previous != status:
        log_action(actor, Action.COMPONENT_CHANGED, component, {"before": previous, "after": status})
        publish_change()
    return component
