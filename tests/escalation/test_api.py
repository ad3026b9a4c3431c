"""The support API: organisation staff file and read their own requests with a personal token, agents list
and update every request, and a rate-limited triage preview."""

import pytest

from escalation.models import SupportRequest
from hub.models import Role
from hub.tokens import create_token
from tests.helpers import make_user
from tests.ticketing.factories import OrganisationFactory

from .conftest import new_request

pytestmark = pytest.mark.django_db


def bearer(user):
    _, raw = create_token(actor=user, user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def seller(organisation):
    user = make_user("caisse", Role.SELLER_ADMIN)
    organisation.memberships.create(user=user, role=Role.SELLER_ADMIN)
    return user


def test_staff_create_and_read_their_own_requests(client, support_lines, organisation, seller):
    body = {
        "account_id": organisation.account_id.lower(),
        "subject": "Door",
        "body": "Every ticket shows red at the entrance, queue outside",
        "channels": ["door_scanning"],
        "moments": ["2026-12-05T21:55:00+01:00"],
        "language": "en",
    }
    response = client.post(
        "/api/v1/support/requests/", body, content_type="application/json", **bearer(seller)
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["urgent"] is True and created["account_id"] == organisation.account_id
    assert (
        client.get(f"/api/v1/support/requests/{created['reference']}/", **bearer(seller)).status_code == 200
    )
    other = new_request(OrganisationFactory())
    assert client.get(f"/api/v1/support/requests/{other.reference}/", **bearer(seller)).status_code == 404
    listed = client.get("/api/v1/support/requests/", **bearer(seller)).json()
    assert [item["reference"] for item in listed["items"]] == [created["reference"]]


def test_another_organisation_s_account_id_is_a_404_and_changes_nothing(client, support_lines, seller):
    stranger = OrganisationFactory()
    body = {"account_id": stranger.account_id, "subject": "x", "body": "Something long enough"}
    response = client.post(
        "/api/v1/support/requests/", body, content_type="application/json", **bearer(seller)
    )
    assert response.status_code == 404
    assert not SupportRequest.objects.exists()


def test_agents_update_status_and_urgency_staff_cannot(client, organisation, seller):
    request = new_request(organisation, requester=seller)
    agent = make_user("agent", Role.SUPPORT_AGENT)
    url = f"/api/v1/support/requests/{request.reference}/"
    denied = client.patch(url, {"status": "resolved"}, content_type="application/json", **bearer(seller))
    assert denied.status_code == 403
    response = client.patch(
        url, {"urgent": True, "reason": "Show tonight"}, content_type="application/json", **bearer(agent)
    )
    assert response.json()["urgent"] is True and response.json()["priority"] == "urgent"
    assert (
        client.patch(url, {"urgent": False}, content_type="application/json", **bearer(agent)).status_code
        == 400
    )


def test_the_triage_preview_answers_and_is_rate_limited(client):
    answer = client.post(
        "/api/v1/support/triage/",
        {"text": "DRINGEND!!! Rechnung fehlt", "lang": "de"},
        content_type="application/json",
    ).json()
    assert answer["urgent"] is False
    for _ in range(30):
        client.post("/api/v1/support/triage/", {"text": "x"}, content_type="application/json")
    assert (
        client.post("/api/v1/support/triage/", {"text": "x"}, content_type="application/json").status_code
        == 429
    )
