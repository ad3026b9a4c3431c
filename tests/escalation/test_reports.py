"""What operators read to tune the desk: deflections per week, ratings per agent and week, overrides."""

import pytest

from escalation.models import Deflection, Priority
from escalation.services import desk, requester
from hub.models import Role
from tests.helpers import make_user

from .conftest import new_request

pytestmark = pytest.mark.django_db
URL = "/en/backoffice/support/reports/"


def test_reports_show_deflections_ratings_per_agent_and_overrides(client):
    agent = make_user("bruno", Role.SUPPORT_AGENT, first_name="Bruno")
    Deflection.objects.create(language="fr", article_key="pos-outage")
    Deflection.objects.create(language="de", article_key="pos-outage")
    rated = new_request(status="resolved", assignee=agent)
    requester.rate(request_id=rated.pk, score=4)
    wrong = new_request(subject="Invoice URGENT", urgent=True, triaged_urgent=True, priority=Priority.URGENT)
    desk.override_urgency(actor=agent, request_id=wrong.pk, urgent=False, reason="Only an invoice")
    client.force_login(agent)
    page = client.get(URL).content.decode()
    assert "Bruno" in page and "4.0" in page
    assert "Only an invoice" in page and wrong.reference in page
    assert "<dd>2</dd>" in page


def test_sellers_do_not_see_the_reports(client, organisation):
    seller = make_user("caisse", Role.SELLER_ADMIN)
    client.force_login(seller)
    assert client.get(URL).status_code == 403
