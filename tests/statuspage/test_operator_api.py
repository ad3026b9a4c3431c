"""The operators' status API: token in, incidents and components out, every write public at once."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from hub.models import AuditEntry, Role
from statuspage.models import Component, Incident

from ..helpers import make_user


@pytest.fixture
def token(operator):
    out = io.StringIO()
    call_command("create_api_token", operator.username, stdout=out)
    return out.getvalue().strip()


def call(client, method, path, token, body=None):
    return getattr(client, method)(
        path,
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
    )


@pytest.mark.django_db
def test_components_list_their_slugs(client, components, token):
    response = call(client, "get", "/api/v1/status/components/", token)
    assert response.status_code == 200
    assert [(c["slug"], c["status"]) for c in response.json()] == [
        ("pos", "operational"),
        ("online-booking", "operational"),
        ("api", "operational"),
    ]


@pytest.mark.django_db
def test_create_update_and_resolve_an_incident(client, components, token, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = call(
            client,
            "post",
            "/api/v1/status/incidents/",
            token,
            {
                "name": "POS lent",
                "status": "investigating",
                "impact": "minor",
                "body": "Les caisses sont lentes.",
                "components": {"pos": "degraded_performance"},
                "playbooks": [],
            },
        )
    assert created.status_code == 201, created.content
    incident = created.json()
    assert incident["status"] == "investigating" and incident["kind"] == "incident"
    assert incident["shortlink"].endswith(f"/fr/status/incidents/{incident['id']}/")
    assert Component.objects.get(slug="pos").status == "degraded_performance"
    summary = client.get("/api/v2/summary.json").json()
    assert summary["incidents"][0]["id"] == incident["id"], "public as soon as the API answers"

    with django_capture_on_commit_callbacks(execute=True):
        updated = call(
            client,
            "post",
            f"/api/v1/status/incidents/{incident['id']}/updates/",
            token,
            {"status": "identified", "body": "Un serveur sature.", "components": {"pos": "partial_outage"}},
        )
    assert updated.status_code == 201
    assert [u["status"] for u in updated.json()["updates"]] == ["identified", "investigating"]
    assert Component.objects.get(slug="pos").status == "partial_outage"

    with django_capture_on_commit_callbacks(execute=True):
        resolved = call(
            client, "post", f"/api/v1/status/incidents/{incident['id']}/resolve/", token, {"body": "Réparé."}
        )
    assert resolved.status_code == 201 and resolved.json()["resolved_at"]
    assert Component.objects.get(slug="pos").status == "operational"
    assert client.get("/api/v2/incidents/unresolved.json").json()["incidents"] == []
    assert AuditEntry.objects.filter(action__startswith="status.incident_").count() == 3


@pytest.mark.django_db
def test_change_a_component_and_schedule_maintenance(client, components, token):
    changed = call(client, "patch", "/api/v1/status/components/api/", token, {"status": "major_outage"})
    assert changed.status_code == 200 and changed.json()["status"] == "major_outage"
    start = timezone.now() + timedelta(days=1)
    scheduled = call(
        client,
        "post",
        "/api/v1/status/maintenances/",
        token,
        {
            "name": "Migration",
            "body": "Dix minutes.",
            "scheduled_for": start.isoformat(),
            "scheduled_until": (start + timedelta(minutes=10)).isoformat(),
            "components": ["api"],
        },
    )
    assert scheduled.status_code == 201 and scheduled.json()["status"] == "scheduled"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body, message",
    [
        ({"name": "X", "body": "Y", "components": {"nope": "major_outage"}}, "unknown component: nope"),
        # Enumerations are part of the schema: the answer names the values allowed.
        (
            {"name": "X", "body": "Y", "components": {"pos": "on_fire"}},
            "'degraded_performance', 'partial_outage'",
        ),
        ({"name": "X", "body": "Y", "status": "resolved"}, "'investigating', 'identified' or 'monitoring'"),
        ({"name": "X", "body": "Y", "impact": "apocalyptic"}, "'none', 'minor', 'major' or 'critical'"),
        ({"name": "X"}, ""),
    ],
)
def test_bad_requests_are_explained_and_change_nothing(client, components, token, body, message):
    response = call(client, "post", "/api/v1/status/incidents/", token, body)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Incident.objects.exists()
    assert Component.objects.get(slug="pos").status == "operational"


@pytest.mark.django_db
def test_only_operators_with_a_live_token_may_write(client, components):
    seller = make_user("sam", Role.SELLER_ADMIN)
    out = io.StringIO()
    call_command("create_api_token", seller.username, stdout=out)
    body = {"name": "X", "body": "Y"}
    assert call(client, "post", "/api/v1/status/incidents/", out.getvalue().strip(), body).status_code == 403
    assert call(client, "post", "/api/v1/status/incidents/", "gt_forged", body).status_code == 401
    assert client.post("/api/v1/status/incidents/", body, content_type="application/json").status_code == 401
    assert not Incident.objects.exists()
