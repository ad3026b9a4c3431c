"""The operators' status API (token): run incidents, components and maintenance from scripts and tools."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from hub.api import BearerToken

from . import selectors, services, snapshot
from .models import Component, ComponentStatus, Incident

router = Router(tags=["status"], auth=BearerToken())


class ComponentOut(Schema):
    slug: str
    id: str = Field(..., alias="code")
    name: str
    status: str
    group: str | None


class ComponentStatusIn(Schema):
    status: str = Field(
        ...,
        description="operational, degraded_performance, partial_outage, major_outage or under_maintenance",
    )


class IncidentIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    status: str = Field("investigating", description="investigating, identified or monitoring")
    impact: str = Field("minor", description="none, minor, major or critical")
    body: str = Field(..., min_length=1)
    components: dict[str, str] = Field(default_factory=dict, description="component slug → component status")
    language: str = "fr"
    playbooks: list[str] = Field(default_factory=list, description="playbook keys to show with the incident")
    notify: bool = True


class UpdateIn(Schema):
    status: str
    body: str = Field(..., min_length=1)
    components: dict[str, str] = Field(default_factory=dict)
    language: str = "fr"
    notify: bool = True


class ResolveIn(Schema):
    body: str = Field(..., min_length=1)
    language: str = "fr"


class MaintenanceIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    body: str = Field(..., min_length=1)
    scheduled_for: datetime
    scheduled_until: datetime
    components: list[str] = Field(..., description="component slugs")
    language: str = "fr"
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


@router.get("/components/", response=list[ComponentOut], summary="Components and their slugs")
def list_components(request):
    return [
        {
            "slug": c.slug,
            "code": c.code,
            "name": c.name,
            "status": c.status,
            "group": c.group.name if c.group else None,
        }
        for c in selectors.components()
    ]


@router.patch("/components/{slug}/", response=ComponentOut, summary="Change a component's status")
def change_component(request, slug: str, payload: ComponentStatusIn):
    component = get_object_or_404(Component, slug=slug)
    services.set_component_status(actor=request.auth, component=component, status=payload.status)
    return {
        "slug": component.slug,
        "code": component.code,
        "name": component.name,
        "status": component.status,
        "group": component.group.name if component.group else None,
    }


@router.post("/incidents/", response={201: IncidentOut}, summary="Open an incident")
def create_incident(request, payload: IncidentIn):
    incident = services.create_incident(
        actor=request.auth,
        name=payload.name,
        status=payload.status,
        impact=payload.impact,
        body=payload.body,
        components=_components(payload.components),
        language=payload.language,
        playbooks=selectors.playbooks_by_key(payload.playbooks),
        notify=payload.notify,
    )
    return Status(201, incident)


@router.post("/incidents/{code}/updates/", response={201: IncidentOut}, summary="Post an update")
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


@router.post("/incidents/{code}/resolve/", response={201: IncidentOut}, summary="Resolve an incident")
def resolve(request, code: str, payload: ResolveIn):
    incident = get_object_or_404(Incident, code=code)
    services.resolve_incident(
        actor=request.auth, incident=incident, body=payload.body, language=payload.language
    )
    return Status(201, Incident.objects.get(pk=incident.pk))


@router.post("/maintenances/", response={201: IncidentOut}, summary="Schedule a maintenance")
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
