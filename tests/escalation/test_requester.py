"""C10: the requester's side: their requests, adding to them, escalating, closing, rating."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from escalation.models import Escalation, Rating, TimelineEntry
from escalation.services import desk
from hub.models import Role
from tests.helpers import make_user
from tests.ticketing.factories import OrganisationFactory

from .conftest import new_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(organisation):
    user = make_user("caisse", Role.SELLER_ADMIN)
    organisation.memberships.create(user=user, role=Role.SELLER_ADMIN)
    return user


def test_staff_see_their_organisation_s_requests_without_internal_notes(client, organisation, seller):
    agent = make_user("agent", Role.SUPPORT_AGENT)
    request = new_request(organisation, subject="Caisse en panne")
    desk.add_note(actor=agent, request_id=request.pk, body="Client difficile, rester bref")
    other = new_request(OrganisationFactory(), subject="Pas à vous")
    client.force_login(seller)
    listing = client.get("/fr/support/requests/").content.decode()
    assert "Caisse en panne" in listing and "Pas à vous" not in listing
    page = client.get(f"/fr/support/requests/{request.reference}/").content.decode()
    assert "rester bref" not in page
    assert client.get(f"/fr/support/requests/{other.reference}/").status_code == 404


def test_a_status_change_reads_as_the_status_s_name_on_both_sides(client, organisation, seller):
    agent = make_user("agent", Role.SUPPORT_AGENT)
    request = new_request(organisation, requester=seller)
    desk.reply(actor=agent, request_id=request.pk, body="Could you send a screenshot?")
    client.force_login(seller)
    page = client.get(f"/en/support/requests/{request.reference}/").content.decode()
    assert "→ Waiting on customer" in page and "→ waiting" not in page
    client.force_login(agent)
    page = client.get(f"/en/backoffice/support/{request.reference}/").content.decode()
    assert "→ Waiting on customer" in page and "→ waiting" not in page


def test_a_message_with_a_file_reopens_a_waiting_request(client, organisation, seller):
    agent = make_user("agent", Role.SUPPORT_AGENT)
    request = new_request(organisation, requester=seller)
    desk.reply(actor=agent, request_id=request.pk, body="Une capture ?")
    client.force_login(seller)
    screenshot = SimpleUploadedFile("ecran.log", b"Erreur 502", content_type="text/plain")
    response = client.post(
        f"/fr/support/requests/{request.reference}/",
        {"action": "message", "body": "Voici", "files": [screenshot]},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "open"
    assert (
        request.timeline.filter(kind=TimelineEntry.Kind.MESSAGE_IN).get().attachments.get().name
        == "ecran.log"
    )


def test_escalate_twice_from_the_page_makes_one_escalation(client, organisation, seller):
    organisation.account_manager = make_user("manon", Role.ACCOUNT_MANAGER)
    organisation.save()
    request = new_request(organisation, requester=seller)
    client.force_login(seller)
    for _ in range(2):
        client.post(
            f"/fr/support/requests/{request.reference}/",
            {"action": "escalate", "reason": "Spectacle ce soir"},
        )
    assert Escalation.objects.filter(request=request).count() == 1


def test_close_then_rate_once(client, organisation, seller):
    request = new_request(organisation, requester=seller)
    client.force_login(seller)
    assert (
        client.post(
            f"/fr/support/requests/{request.reference}/", {"action": "rate", "score": "5"}
        ).status_code
        == 400
    )
    client.post(f"/fr/support/requests/{request.reference}/", {"action": "close"})
    client.post(
        f"/fr/support/requests/{request.reference}/", {"action": "rate", "score": "4", "comment": "Rapide"}
    )
    client.post(f"/fr/support/requests/{request.reference}/", {"action": "rate", "score": "5"})
    rating = Rating.objects.get(request=request)
    assert rating.score == 5
