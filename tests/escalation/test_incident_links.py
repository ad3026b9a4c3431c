"""C9: requests linked to a status incident are answered at once, each in its language, when it resolves."""

import pytest
from django.core.exceptions import ValidationError

from escalation.models import IncidentLink, TimelineEntry
from escalation.services import incidents
from hub.models import OutboundMessage, Role
from statuspage.models import Component
from statuspage.services.incidents import create_incident, resolve_incident
from tests.helpers import make_user

from .conftest import new_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(operator):
    door = Component.objects.create(
        slug="door-scanning", name_fr="Contrôle d’accès", name_de="Einlass", name_en="Door"
    )
    return create_incident(
        actor=operator,
        name="Scanners refuse valid tickets",
        language="en",
        status="investigating",
        impact="major",
        body="Looking into it.",
        components={door: "partial_outage"},
        notify=False,
    )


def test_every_linked_request_is_answered_once_in_its_language_when_the_incident_resolves(
    operator, incident, django_capture_on_commit_callbacks
):
    agent = make_user("agent", Role.SUPPORT_AGENT)
    german = new_request(language="de", requester_email="kasse@halle.example")
    french = new_request(language="fr", requester_email="caisse@salle.example")
    for request in (german, french):
        incidents.link_incident(actor=agent, request_id=request.pk, code=incident.code)
    with pytest.raises(ValidationError):
        incidents.link_incident(actor=agent, request_id=german.pk, code=incident.code)
    with django_capture_on_commit_callbacks(execute=True):
        resolve_incident(actor=operator, incident=incident, body="Fixed.", language="en", notify=False)
    assert incidents.answer_resolved_incident(incident_id=incident.pk) == 0  # a second run answers nobody
    for request, word in ((german, "Vorfall"), (french, "incident")):
        request.refresh_from_db()
        assert request.status == "resolved"
        (email,) = OutboundMessage.objects.filter(recipient=request.requester_email)
        assert word in email.body and email.options["headers"]["In-Reply-To"] == request.thread_id
        assert request.timeline.filter(kind=TimelineEntry.Kind.MESSAGE_OUT).count() == 1
    assert IncidentLink.objects.filter(answered_at__isnull=False).count() == 2


def test_agents_link_from_the_request_page_and_a_resolved_incident_cannot_be_linked(
    client, operator, incident
):
    agent = make_user("agent", Role.SUPPORT_AGENT)
    request = new_request()
    client.force_login(agent)
    url = f"/en/backoffice/support/{request.reference}/"
    assert incident.code in client.get(url).content.decode()
    assert client.post(url, {"action": "incident", "incident": incident.code}).status_code == 302
    assert request.incident_links.get().incident == incident
    resolve_incident(actor=operator, incident=incident, body="Fixed.", language="en", notify=False)
    with pytest.raises(ValidationError):
        incidents.link_incident(actor=agent, request_id=new_request().pk, code=incident.code)
