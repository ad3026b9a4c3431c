"""The operators' status API (token): set up components, groups and playbooks, and run incidents,
statuses and maintenance from scripts and tools. The back office runs the same services."""

import re
from contextlib import contextmanager
from datetime import datetime
from typing import Literal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from hub.api import BearerToken, Language, errors
from hub.i18n import LANGUAGE_CODES
from hub.models import Role

from . import selectors, services, snapshot
from .models import Component, ComponentGroup, ComponentStatus, Incident, Playbook

router = Router(tags=["status"], auth=BearerToken())
RoleName = Literal[tuple(Role.values)]
StatusName = Literal[tuple(ComponentStatus.values)]
OpenStatus = Literal["investigating", "identified", "monitoring"]
UpdateStatus = Literal[tuple(Incident.Status.values)]
Impact = Literal[tuple(Incident.Impact.values)]
# What each kind of operation can answer besides success (see hub.api.errors).
READ = errors(401)
WRITE = errors(400, 401, 403)
CHANGE = errors(400, 401, 403, 404)


class IncidentIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    status: OpenStatus = "investigating"
    impact: Impact = "minor"
    body: str = Field(..., min_length=1)
    components: dict[str, StatusName] = Field(
        default_factory=dict, description="component slug → component status"
    )
    language: Language = "fr"
    playbooks: list[str] = Field(default_factory=list, description="playbook keys to show with the incident")
    notify: bool = True


class UpdateIn(Schema):
    status: UpdateStatus = Field(..., description="an incident's status, or a maintenance's")
    body: str = Field(..., min_length=1)
    components: dict[str, StatusName] = Field(
        default_factory=dict,
        description="component slug → component status; on resolved or completed, the incident's components "
        "left out go back to operational",
    )
    language: Language = "fr"
    notify: bool = True


class ResolveIn(Schema):
    body: str = Field(..., min_length=1)
    language: Language = "fr"
    components: dict[str, StatusName] | None = Field(
        None,
        description="component slug → its status after the resolution; the incident's components left out "
        "go back to operational (or to the status another open incident gives them)",
    )
    notify: bool = True


class MaintenanceIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    body: str = Field(..., min_length=1)
    scheduled_for: datetime
    scheduled_until: datetime
    components: list[str] = Field(..., description="component slugs")
    language: Language = "fr"
    notify: bool = True


class UpdateOut(Schema):
    id: str = Field(..., alias="code")
    status: str
    body: str
    created_at: datetime


class IncidentOut(Schema):
    id: str = Field(..., alias="code")
    kind: str
    name: str
    status: str
    impact: str
    created_at: datetime
    resolved_at: datetime | None
    scheduled_for: datetime | None
    scheduled_until: datetime | None
    shortlink: str
    updates: list[UpdateOut]

    @staticmethod
    def resolve_shortlink(incident):
        return snapshot.incident_url(incident.code, incident.language)

    @staticmethod
    def resolve_updates(incident):
        return list(incident.updates.all())


def _components(statuses: dict[str, str]) -> dict:
    found = selectors.components_by_slug(statuses)
    missing = sorted(set(statuses) - set(found))
    if missing:
        raise HttpError(400, f"unknown component: {', '.join(missing)}")
    return {found[slug]: status for slug, status in statuses.items()}


def _playbooks(keys: list[str]) -> list:
    found = selectors.playbooks_by_key(keys)
    missing = sorted(set(keys) - {p.key for p in found})
    if missing:
        raise HttpError(400, f"unknown playbook: {', '.join(missing)}")
    return found


# --- Setting the page up: components, groups, playbooks -------------------------------------------------


class Texts(Schema):
    """A text in each language; when editing, a language left out stays as it is."""

    fr: str | None = None
    de: str | None = None
    en: str | None = None


class ComponentIn(Schema):
    slug: str = Field(..., description="its name in the API, set once: lowercase letters, digits, dashes")
    name: Texts = Field(..., description="French required; German and English fall back on it")
    description: Texts | None = None
    group: str | None = Field(None, description="a group's slug, or null")
    audience: list[RoleName] = Field(default_factory=list, description="roles that see its pop-up")
    position: int | None = Field(None, ge=0, description="smaller comes first; last by default")


class ComponentPatch(Schema):
    name: Texts | None = None
    description: Texts | None = None
    group: str | None = Field(None, description="a group's slug, or null for none")
    audience: list[RoleName] | None = None
    position: int | None = Field(None, ge=0)
    retired: bool | None = Field(None, description="true: off the public page and the forms, history kept")
    status: StatusName | None = None


class ComponentOut(Schema):
    slug: str
    id: str
    name: dict[str, str]
    description: dict[str, str]
    group: str | None
    audience: list[str]
    position: int
    status: str
    retired: bool


class GroupIn(Schema):
    slug: str
    name: Texts
    position: int | None = Field(None, ge=0)


class GroupPatch(Schema):
    name: Texts | None = None
    position: int | None = Field(None, ge=0)
    retired: bool | None = Field(None, description="only once none of its components is live")


class GroupOut(Schema):
    slug: str
    id: str
    name: dict[str, str]
    position: int
    retired: bool


class PlaybookIn(Schema):
    key: str
    title: Texts = Field(..., description="every language required")
    body: Texts = Field(..., description="every language required")
    position: int | None = Field(None, ge=0)


class PlaybookPatch(Schema):
    title: Texts | None = None
    body: Texts | None = None
    position: int | None = Field(None, ge=0)
    retired: bool | None = Field(None, description="true: no longer offered for new incidents")


class PlaybookOut(Schema):
    key: str
    title: dict[str, str]
    body: dict[str, str]
    position: int
    retired: bool


def _texts(obj, field: str) -> dict[str, str]:
    return {code: getattr(obj, f"{field}_{code}") for code in LANGUAGE_CODES}


def _component_out(c: Component) -> dict:
    return {
        "slug": c.slug,
        "id": c.code,
        "name": _texts(c, "name"),
        "description": _texts(c, "description"),
        "group": c.group.slug if c.group else None,
        "audience": c.audience,
        "position": c.position,
        "status": c.status,
        "retired": c.retired_at is not None,
    }


def _group_out(g: ComponentGroup) -> dict:
    return {
        "slug": g.slug,
        "id": g.code,
        "name": _texts(g, "name"),
        "position": g.position,
        "retired": bool(g.retired_at),
    }


def _playbook_out(p: Playbook) -> dict:
    return {
        "key": p.key,
        "title": _texts(p, "title"),
        "body": _texts(p, "body"),
        "position": p.position,
        "retired": p.retired_at is not None,
    }


LANGUAGE_SUFFIX = re.compile(r"_(fr|de|en)$")


@contextmanager
def _field_errors():
    """A service's refusal, each message prefixed by the field it is about as the API names it (name.de)."""
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        named = []
        for field, messages in error.message_dict.items():
            prefix = "" if field == NON_FIELD_ERRORS else LANGUAGE_SUFFIX.sub(r".\1", field) + ": "
            named += [prefix + message for message in messages]
        raise ValidationError(named) from error


def _group(slug: str | None) -> ComponentGroup | None:
    if slug is None:
        return None
    found = selectors.every_group().filter(slug=slug).first()
    if found is None:
        raise HttpError(400, f"unknown group: {slug}")
    return found


def _fields(payload: Schema) -> dict:
    """What the request sets, texts as {language: text} with only the languages given; a null leaves a field
    as it is, except a null group, which means no group."""
    fields = {
        name: value
        for name, value in payload.dict(exclude_unset=True).items()
        if value is not None or name == "group"
    }
    if "group" in fields:
        fields["group"] = _group(fields["group"])
    return fields


@router.get(
    "/components/", response={200: list[ComponentOut], **READ}, summary="Components, live and retired"
)
def list_components(request):
    return [_component_out(c) for c in selectors.every_component()]


@router.post("/components/", response={201: ComponentOut, **WRITE}, summary="Create a component")
def create_component(request, payload: ComponentIn):
    with _field_errors():
        component = services.create_component(actor=request.auth, **_fields(payload))
    return Status(201, _component_out(component))


@router.patch(
    "/components/{slug}/",
    response={200: ComponentOut, **CHANGE},
    summary="Edit, move, retire a component or set its status",
)
def change_component(request, slug: str, payload: ComponentPatch):
    component = get_object_or_404(Component, slug=slug)
    fields = _fields(payload)
    status = fields.pop("status", None)
    with _field_errors(), transaction.atomic():  # all of it or nothing
        if status is not None:
            services.set_component_status(actor=request.auth, component=component, status=status)
        component = services.edit_component(actor=request.auth, component=component, **fields)
    return _component_out(component)


@router.get("/groups/", response={200: list[GroupOut], **READ}, summary="Component groups, live and retired")
def list_groups(request):
    return [_group_out(g) for g in selectors.every_group()]


@router.post("/groups/", response={201: GroupOut, **WRITE}, summary="Create a component group")
def create_group(request, payload: GroupIn):
    with _field_errors():
        group = services.create_group(actor=request.auth, **_fields(payload))
    return Status(201, _group_out(group))


@router.patch("/groups/{slug}/", response={200: GroupOut, **CHANGE}, summary="Rename, move or retire a group")
def change_group(request, slug: str, payload: GroupPatch):
    group = get_object_or_404(ComponentGroup, slug=slug)
    with _field_errors():
        group = services.edit_group(actor=request.auth, group=group, **_fields(payload))
    return _group_out(group)


@router.get(
    "/playbooks/", response={200: list[PlaybookOut], **READ}, summary="Workaround playbooks, live and retired"
)
def list_playbooks(request):
    return [_playbook_out(p) for p in selectors.every_playbook()]


@router.post("/playbooks/", response={201: PlaybookOut, **WRITE}, summary="Create a playbook")
def create_playbook(request, payload: PlaybookIn):
    with _field_errors():
        playbook = services.create_playbook(actor=request.auth, **_fields(payload))
    return Status(201, _playbook_out(playbook))


@router.patch(
    "/playbooks/{key}/", response={200: PlaybookOut, **CHANGE}, summary="Edit, move or retire a playbook"
)
def change_playbook(request, key: str, payload: PlaybookPatch):
    playbook = get_object_or_404(Playbook, key=key)
    with _field_errors():
        playbook = services.edit_playbook(actor=request.auth, playbook=playbook, **_fields(payload))
    return _playbook_out(playbook)


# --- Running incidents and maintenance -------------------------------------------------------------------


@router.post("/incidents/", response={201: IncidentOut, **WRITE}, summary="Open an incident")
def create_incident(request, payload: IncidentIn):
    incident = services.create_incident(
        actor=request.auth,
        name=payload.name,
        status=payload.status,
        impact=payload.impact,
        body=payload.body,
        components=_components(payload.components),
        language=payload.language,
        playbooks=_playbooks(payload.playbooks),
        notify=payload.notify,
    )
    return Status(201, incident)


@router.post("/incidents/{code}/updates/", response={201: IncidentOut, **CHANGE}, summary="Post an update")
def post_update(request, code: str, payload: UpdateIn):
    incident = get_object_or_404(Incident, code=code)
    services.post_update(
        actor=request.auth,
        incident=incident,
        status=payload.status,
        body=payload.body,
        components=_components(payload.components),
        language=payload.language,
        notify=payload.notify,
    )
    return Status(201, Incident.objects.get(pk=incident.pk))


@router.post(
    "/incidents/{code}/resolve/", response={201: IncidentOut, **CHANGE}, summary="Resolve an incident"
)
def resolve(request, code: str, payload: ResolveIn):
    incident = get_object_or_404(Incident, code=code)
    services.resolve_incident(
        actor=request.auth,
        incident=incident,
        body=payload.body,
        language=payload.language,
        components=_components(payload.components or {}),
        notify=payload.notify,
    )
    return Status(201, Incident.objects.get(pk=incident.pk))


@router.post("/maintenances/", response={201: IncidentOut, **WRITE}, summary="Schedule a maintenance")
def schedule(request, payload: MaintenanceIn):
    components = list(_components({slug: ComponentStatus.MAINTENANCE for slug in payload.components}))
    incident = services.schedule_maintenance(
        actor=request.auth,
        name=payload.name,
        body=payload.body,
        scheduled_for=payload.scheduled_for,
        scheduled_until=payload.scheduled_until,
        components=components,
        language=payload.language,
        notify=payload.notify,
    )
    return Status(201, incident)
