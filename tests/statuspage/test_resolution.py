"""Resolving an incident puts its components back to operational unless the operator says otherwise: in the
service, in the operator API and in the back-office forms."""

import io
import json

import pytest
from django.core.management import call_command

from statuspage import services
from statuspage.forms import backoffice as forms
from statuspage.models import Component, Incident


def status(slug):
    return Component.objects.get(slug=slug).status


@pytest.fixture
def incident(components, operator):
    return services.create_incident(
        actor=operator,
        name="Caisses et réservations en panne",
        status="identified",
        impact="major",
        body="Les caisses et la réservation en ligne répondent mal.",
        components={components.pos: "partial_outage", components.booking: "degraded_performance"},
        notify=False,
    )


@pytest.mark.django_db
def test_resolving_with_one_component_told_puts_the_others_back_to_operational(
    incident, components, operator
):
    services.post_update(
        actor=operator,
        incident=incident,
        status="resolved",
        body="Les caisses fonctionnent ; la réservation reste lente.",
        components={components.booking: "degraded_performance"},
    )
    assert status("pos") == "operational", "not named: back to operational"
    assert status("online-booking") == "degraded_performance", "the operator said otherwise"


@pytest.mark.django_db
def test_resolve_incident_takes_the_statuses_the_operator_gives(incident, components, operator):
    services.resolve_incident(
        actor=operator, incident=incident, body="Réparé.", components={components.pos: "degraded_performance"}
    )
    assert status("pos") == "degraded_performance"
    assert status("online-booking") == "operational"
    assert status("api") == "operational", "not in the incident: untouched"


@pytest.mark.django_db
def test_a_component_still_in_another_open_incident_keeps_that_incident_s_status(
    incident, components, operator
):
    services.create_incident(
        actor=operator,
        name="Caisses hors ligne",
        status="investigating",
        impact="critical",
        body="Les caisses ne répondent plus.",
        components={components.pos: "major_outage"},
        notify=False,
    )
    services.resolve_incident(actor=operator, incident=incident, body="Réservation réparée.")
    assert status("online-booking") == "operational"
    assert status("pos") == "major_outage", "the other incident is still open"


@pytest.mark.django_db
def test_the_api_resolve_puts_components_back_unless_told(client, incident, components, operator):
    out = io.StringIO()
    call_command("create_api_token", operator.username, stdout=out)
    token = out.getvalue().strip()
    response = client.post(
        f"/api/v1/status/incidents/{incident.code}/resolve/",
        data=json.dumps(
            {"body": "Caisses réparées.", "components": {"online-booking": "degraded_performance"}}
        ),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.content
    assert status("pos") == "operational"
    assert status("online-booking") == "degraded_performance"

    unknown = client.post(
        f"/api/v1/status/incidents/{incident.code}/resolve/",
        data=json.dumps({"body": "x", "components": {"nope": "operational"}}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert unknown.status_code in (400, 404)


@pytest.mark.django_db
def test_the_resolve_form_offers_the_incident_s_components_set_to_operational(incident, components):
    form = forms.ResolveForm(incident=incident)
    fields = {field.name: field.initial for field in form.component_fields()}
    assert fields == {
        f"component_{components.pos.code}": "operational",
        f"component_{components.booking.code}": "operational",
    }, "only the incident's components, operational preselected"


@pytest.mark.django_db
def test_the_update_form_sent_as_shown_with_resolved_lets_the_components_go_back(incident, components):
    shown = forms.UpdateForm(incident=incident)
    data = {name: field.initial for name, field in shown.fields.items() if field.initial is not None}
    data.update({"status": "resolved", "language": "fr", "body": "Réparé."})
    data = {key: value for key, value in data.items() if value not in ("", False)}
    form = forms.UpdateForm(data, incident=incident)
    assert form.is_valid(), form.errors
    assert form.affected() == {}, "statuses left as shown are not a choice: resolving resets them"

    data[f"component_{components.booking.code}"] = "major_outage"
    form = forms.UpdateForm(data, incident=incident)
    assert form.is_valid()
    assert form.affected() == {Component.objects.get(slug="online-booking"): "major_outage"}


@pytest.mark.django_db
def test_the_back_office_resolve_form_resolves_and_resets(operator_client, incident, components):
    detail = f"/fr/backoffice/status/incidents/{incident.code}/"
    page = operator_client.get(detail).content.decode()
    assert 'value="resolve"' in page
    response = operator_client.post(
        detail,
        {
            "action": "resolve",
            "language": "fr",
            "body": "Tout est rétabli.",
            f"component_{components.pos.code}": "operational",
            f"component_{components.booking.code}": "operational",
        },
    )
    assert response.status_code == 302
    assert Incident.objects.get(pk=incident.pk).status == "resolved"
    assert status("pos") == status("online-booking") == "operational"
