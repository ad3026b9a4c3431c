"""Components and their groups: set up by operators (names and descriptions per language, group, order,
who sees the pop-up, retirement) and their statuses, set by hand. The back office and the operator API
both call these."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.audit import log_action
from hub.models import Role
from hub.permissions import require_operator

from ..audit import Action
from ..models import Component, ComponentGroup
from .common import (
    next_position,
    publish_change,
    record_status,
    set_fields,
    set_retired,
    valid_component_status,
)

COMPONENT_TEXTS = ("name", "description")


@transaction.atomic
def set_component_status(*, actor, component: Component, status: str) -> Component:
    require_operator(actor)
    status = valid_component_status(status)
    if component.retired_at is not None:
        raise ValidationError(_("This component is retired."))
    previous = record_status(component, status, timezone.now())
    if previous != status:
        log_action(actor, Action.COMPONENT_CHANGED, component, {"before": previous, "after": status})
        publish_change()
    return component


def _component_changes(changes: dict) -> dict:
    """Check what a component's ``changes`` hold: ``name``/``description`` ({language: text}), ``group``
    (a live group or None), ``audience`` (roles), ``position``."""
    unknown = set(changes) - {*COMPONENT_TEXTS, "group", "audience", "position"}
    if unknown:
        raise TypeError(f"unknown component fields: {sorted(unknown)}")
    group = changes.get("group")
    if group is not None and group.retired_at is not None:
        raise ValidationError({"group": _("This group is retired.")})
    if "audience" in changes:
        roles = list(dict.fromkeys(changes["audience"]))
        wrong = sorted(set(roles) - set(Role.values))
        if wrong:
            raise ValidationError({"audience": _("Unknown role: %(roles)s.") % {"roles": ", ".join(wrong)}})
        changes = {**changes, "audience": roles}
    return changes


@transaction.atomic
def create_component(*, actor, slug: str, name: dict, **fields) -> Component:
    """A new component, last in the page unless ``position`` says otherwise; ``fields`` as for
    ``edit_component`` (a French name is required, the other languages fall back on it)."""
    require_operator(actor)
    component = Component(slug=slug.strip(), position=next_position(Component))
    set_fields(component, _component_changes({"name": name, **fields}), texts=COMPONENT_TEXTS)
    component.save()
    log_action(actor, Action.COMPONENT_CREATED, component, {"slug": component.slug})
    publish_change()
    return component


@transaction.atomic
def edit_component(*, actor, component: Component, retired: bool | None = None, **changes) -> Component:
    """Change any of ``name`` and ``description`` ({language: text}), ``group`` (a group or None),
    ``audience`` (the roles that see its pop-up), ``position``; ``retired`` takes it off the public page
    and the forms (or brings it back) while incidents and the status history keep it."""
    require_operator(actor)
    component = Component.objects.select_for_update().get(pk=component.pk)
    changed = set_fields(component, _component_changes(changes), texts=COMPONENT_TEXTS)
    if changed["after"]:
        component.save()
        log_action(actor, Action.COMPONENT_EDITED, component, changed)
    if retired is not None and set_retired(component, retired):
        component.save(update_fields=["retired_at"])
        log_action(actor, Action.RETIRED if retired else Action.RESTORED, component)
    publish_change()
    return component


@transaction.atomic
def create_group(*, actor, slug: str, name: dict, position: int | None = None) -> ComponentGroup:
    require_operator(actor)
    group = ComponentGroup(slug=slug.strip(), position=next_position(ComponentGroup))
    changes = {"name": name} if position is None else {"name": name, "position": position}
    set_fields(group, changes, texts=("name",))
    group.save()
    log_action(actor, Action.GROUP_CREATED, group, {"slug": group.slug})
    publish_change()
    return group


@transaction.atomic
def edit_group(*, actor, group: ComponentGroup, retired: bool | None = None, **changes) -> ComponentGroup:
    """Change its ``name`` ({language: text}) or ``position``; ``retired`` once it has no live component."""
    require_operator(actor)
    unknown = set(changes) - {"name", "position"}
    if unknown:
        raise TypeError(f"unknown group fields: {sorted(unknown)}")
    group = ComponentGroup.objects.select_for_update().get(pk=group.pk)
    changed = set_fields(group, changes, texts=("name",))
    if changed["after"]:
        group.save()
        log_action(actor, Action.GROUP_EDITED, group, changed)
    if retired is not None and set_retired(group, retired):
        if retired and group.components.live().exists():
            raise ValidationError({"retired": _("Move or retire its components first.")})
        group.save(update_fields=["retired_at"])
        log_action(actor, Action.RETIRED if retired else Action.RESTORED, group)
    publish_change()
    return group
