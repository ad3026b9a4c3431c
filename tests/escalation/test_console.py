"""The agents' console: the queue's order and filters, replies by threaded email, statuses and the SLA
clock, urgency overrides; support staff only."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from escalation import selectors
from escalation.models import Priority, TimelineEntry
from escalation.services import desk
from hub.models import AuditEntry, OutboundMessage, Role
from tests.helpers import make_user

from .conftest import new_request

pytestmark = pytest.mark.django_db
QUEUE = "/fr/backoffice/support/"


@pytest.fixture
def agent(db):
    return make_user("agent", Role.SUPPORT_AGENT)


def test_the_queue_puts_urgent_first_then_the_nearest_due_time(client, agent):
    now = timezone.now()
    later = new_request(subject="Later", first_response_due=now + timedelta(hours=5))
    sooner = new_request(subject="Sooner", first_response_due=now + timedelta(hours=1))
    urgent = new_request(
        subject="Urgent", urgent=True, priority=Priority.URGENT, first_response_due=now + timedelta(hours=9)
    )
    new_request(subject="Done", status="resolved")
    client.force_login(agent)
    page = client.get(QUEUE).content.decode()
    positions = [page.index(request.reference) for request in (urgent, sooner, later)]
    assert positions == sorted(positions)
    assert "Done" not in page


def test_the_queue_says_why_a_request_is_urgent(client, agent):
    urgent = new_request(
        subject="Scanner rot",
        urgent=True,
        priority=Priority.URGENT,
        reasons=["blocks check-in: 'scanner'", "open incident INC-7 on Door scanning"],
    )
    new_request(subject="Rechnung", reasons=["not urgent: nothing blocks"])
    client.force_login(agent)
    page = client.get("/en/backoffice/support/").content.decode()  # reasons are translated for agents
    row = page[page.index(urgent.reference) :].split("</tr>")[0]
    assert "blocks check-in: &#x27;scanner&#x27; · open incident INC-7 on Door scanning" in row
    assert "not urgent: nothing blocks" not in page  # only an urgent request's reasons crowd the queue


def test_the_request_page_names_the_channels_not_their_codes(client, agent):
    request = new_request(channels=["door_scanning", "box_office"])
    client.force_login(agent)
    page = client.get(f"/en/backoffice/support/{request.reference}/").content.decode()
    assert "<dd>Door scanning, Box office / POS</dd>" in page and "door_scanning" not in page


def test_the_request_page_s_forms_start_from_the_request_s_status_assignee_and_urgency(client, agent):
    request = new_request(channels=["payouts"])
    desk.reply(actor=agent, request_id=request.pk, body="Which invoice?")  # waiting, assigned to the agent
    client.force_login(agent)
    page = client.get(f"/en/backoffice/support/{request.reference}/").content.decode()
    assert re.search(r'<option value="waiting" selected>', page)
    assert re.search(rf'<option value="{agent.pk}" selected>', page)
    assert re.search(r'<option value="0" selected>', page)  # not urgent


def test_queue_filters_and_its_query_count(client, agent, organisation, django_assert_max_num_queries):
    mine = new_request(organisation, subject="Mine alone", channels=["door_scanning"], assignee=agent)
    new_request(subject="Someone else", channels=["payouts"])
    client.force_login(agent)
    for query, expected in (
        ({"assignee": "me"}, "Mine alone"),
        ({"channel": "payouts"}, "Someone else"),
        ({"organisation": organisation.account_id.lower()}, "Mine alone"),
    ):
        page = client.get(QUEUE, query).content.decode()
        assert expected in page and ({"Mine alone", "Someone else"} - {expected}).pop() not in page, query
    for _ in range(30):
        new_request(organisation)
    with django_assert_max_num_queries(12):
        assert client.get(QUEUE).status_code == 200
    assert (
        "Page 2" in client.get(QUEUE, {"page": 2}).content.decode()
        or "2" in client.get(QUEUE, {"page": 2}).content.decode()
    )
    assert mine.reference


def test_only_support_staff_see_the_queue_and_requests(client, organisation):
    request = new_request(organisation)
    seller = make_user("caisse", Role.SELLER_ADMIN)
    organisation.memberships.create(user=seller, role=Role.SELLER_ADMIN)
    client.force_login(seller)
    assert client.get(QUEUE).status_code == 403
    assert client.get(f"{QUEUE}{request.reference}/").status_code == 403


def test_a_reply_is_a_threaded_email_in_the_requester_s_language_and_stops_the_first_response_clock(
    client, agent
):
    request = new_request(language="de", requester_email="kasse@halle.example")
    client.force_login(agent)
    response = client.post(
        f"{QUEUE}{request.reference}/",
        {"action": "reply", "body": "Bitte Seite neu laden.", "status": "waiting"},
    )
    assert response.status_code == 302
    (email,) = OutboundMessage.objects.filter(recipient="kasse@halle.example", channel="email")
    assert email.options["headers"]["In-Reply-To"] == request.thread_id
    assert email.options["reply_to"] == [f"support+{request.reply_token}@reply.guichet.localhost"]
    assert "Bitte Seite neu laden." in email.body and request.reference in email.body
    request.refresh_from_db()
    assert request.first_responded_at and request.status == "waiting" and request.assignee == agent


def test_waiting_on_the_customer_pauses_the_resolution_clock(agent, support_lines):
    zurich = ZoneInfo("Europe/Zurich")
    monday = datetime(2026, 12, 7, 10, 0, tzinfo=zurich)
    request = new_request(resolution_due=monday + timedelta(hours=4))
    with time_machine.travel(monday, tick=False):
        desk.reply(actor=agent, request_id=request.pk, body="Quel navigateur ?")
    with time_machine.travel(monday + timedelta(hours=2), tick=False):
        desk.set_status(actor=agent, request_id=request.pk, status="open")
    request.refresh_from_db()
    assert request.resolution_due == monday + timedelta(hours=6)  # two working hours later
    assert request.timeline.filter(kind=TimelineEntry.Kind.STATUS).count() == 2


def test_impossible_status_changes_and_empty_notes_are_refused(client, agent):
    request = new_request(status="closed")
    client.force_login(agent)
    response = client.post(f"{QUEUE}{request.reference}/", {"action": "status", "status": "waiting"})
    assert response.status_code == 400
    assert client.post(f"{QUEUE}{request.reference}/", {"action": "note", "body": ""}).status_code == 400
    request.refresh_from_db()
    assert request.status == "closed"


def test_an_urgency_override_needs_a_reason_and_is_audited_with_the_rules_verdict_kept(agent):
    request = new_request(urgent=True, triaged_urgent=True, priority=Priority.URGENT)
    desk.override_urgency(actor=agent, request_id=request.pk, urgent=False, reason="Question sur une facture")
    request.refresh_from_db()
    assert (request.urgent, request.triaged_urgent, request.priority) == (False, True, "normal")
    entry = AuditEntry.objects.get(action="support.urgency_overridden")
    assert entry.data["before"]["urgent"] is True and entry.data["reason"] == "Question sur une facture"


@pytest.fixture
def article_request(help_content, settings):
    """A German request and the help articles the agent may insert in the answer (German ones)."""
    from helpcenter import suggest

    suggest.content_changed()  # an index built before the content was loaded is dropped
    settings.SITE_URL = "https://guichet.example"
    request = new_request(
        language="de",
        requester_email="kasse@halle.example",
        subject="Der Scanner zeigt bei jedem Ticket Rot",
        body="Am Eingang zeigt der Scanner bei allen Tickets Rot an.",
    )
    articles = selectors.reply_articles(request)
    assert articles, "the help centre suggests an article for this request"
    return request, articles[0]


def test_an_agent_inserts_a_help_article_in_the_requester_s_language_into_the_emailed_answer(
    client, agent, article_request, django_capture_on_commit_callbacks
):
    request, article = article_request
    client.force_login(agent)
    page = client.get(f"{QUEUE}{request.reference}/").content.decode()
    assert f'<option value="{article.key}">' in page  # offered in the reply form
    with django_capture_on_commit_callbacks(execute=True):  # the outbox's task sends it after commit
        response = client.post(
            f"{QUEUE}{request.reference}/",
            {
                "action": "reply",
                "body": "Bitte lesen Sie diesen Artikel.",
                "article": article.key,
                "status": "waiting",
            },
        )
    assert response.status_code == 302
    url = f"https://guichet.example{article.url}" if article.url.startswith("/") else article.url
    assert "/de/" in url
    (email,) = [m for m in mail.outbox if m.to == ["kasse@halle.example"]]
    assert "Bitte lesen Sie diesen Artikel." in email.body
    assert article.title in email.body and url in email.body
    entry = request.timeline.get(kind=TimelineEntry.Kind.MESSAGE_OUT)
    assert entry.body.startswith("Bitte lesen Sie diesen Artikel.\n\n") and url in entry.body  # stored too


def test_an_unknown_help_article_is_a_form_error_and_nothing_is_sent(client, agent, article_request):
    request, _article = article_request
    client.force_login(agent)
    response = client.post(
        f"{QUEUE}{request.reference}/",
        {
            "action": "reply",
            "body": "Bitte lesen Sie diesen Artikel.",
            "article": "no-such-article",
            "status": "waiting",
        },
    )
    assert response.status_code == 400
    assert not request.timeline.filter(kind=TimelineEntry.Kind.MESSAGE_OUT).exists()
    assert not OutboundMessage.objects.filter(recipient="kasse@halle.example").exists()
    with pytest.raises(ValidationError) as refused:  # the service checks it too
        desk.reply(actor=agent, request_id=request.pk, body="Bitte lesen.", article="no-such-article")
    assert "article" in refused.value.message_dict
    assert not OutboundMessage.objects.filter(recipient="kasse@halle.example").exists()
