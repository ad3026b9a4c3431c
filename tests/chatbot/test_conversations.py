"""The embedded assistant through its REST channel: FAQ, contact by the hour, handoff to a support request,
escalation, and what it refuses."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from escalation.models import Page, SupportRequest
from hub.models import Role
from tests.escalation.test_paging import rota
from tests.helpers import make_user

from .conftest import WEBHOOK, Chat

pytestmark = pytest.mark.django_db
ZURICH = ZoneInfo("Europe/Zurich")
SATURDAY_NIGHT = datetime(2026, 12, 5, 22, 0, tzinfo=ZURICH)
TUESDAY_MORNING = datetime(2026, 12, 8, 10, 0, tzinfo=ZURICH)


def test_the_rest_channel_answers_like_rasa(client, chat, help_content):
    assert client.get("/webhooks/rest/").json() == {"status": "ok"}
    conversation = chat("en")
    (reply,) = conversation.say("how do I refund an order?")
    assert reply["recipient_id"] == conversation.sender
    assert reply["custom"]["article_key"] == "refund-order"
    assert reply["custom"]["url"].endswith("/en/help/") is False and "/en/help/" in reply["custom"]["url"]
    assert reply["text"], "the article's short answer"


def test_an_unknown_question_says_so_and_offers_a_person(chat, help_content):
    replies = chat("fr").say("quelle est la recette de la tarte tatin de ma grand-mère ?")
    assert "/handoff" in [b["payload"] for reply in replies for b in reply.get("buttons", [])]
    assert not any("article_key" in reply.get("custom", {}) for reply in replies)


def test_parse_answers_like_rasas_http_api(client):
    parsed = client.post(
        "/model/parse", {"text": "Gibt es gerade Probleme mit der Kasse?"}, content_type="application/json"
    ).json()
    assert parsed["intent"]["name"] == "status" and parsed["language"] == "de"
    assert parsed["intent_ranking"][0] == parsed["intent"] and 0 < parsed["intent"]["confidence"] <= 1
    assert [e["value"] for e in parsed["entities"]] == ["pos"]
    short = client.post(
        "/model/parse", {"text": "merci", "lang": "fr"}, content_type="application/json"
    ).json()
    assert short["intent"]["name"] == "thanks" and short["language"] == "fr"


@pytest.mark.parametrize(
    "body, status",
    [
        ({"message": "hi"}, 400),
        ({"sender": "x", "message": ""}, 400),
        ({"sender": "x", "message": "hi", "metadata": "de"}, 400),
        ({"sender": "x" * 200, "message": "hi"}, 400),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(client, body, status):
    assert client.post(WEBHOOK, body, content_type="application/json").status_code == status
    assert client.post(WEBHOOK, "not json", content_type="application/json").status_code == 400
    assert (
        client.post("/model/parse", {"text": "hi", "lang": "it"}, content_type="application/json").status_code
        == 400
    )


def test_a_long_message_is_refused_politely(chat):
    (reply,) = chat("fr").say("a" * 1001)
    assert "1000" in reply["text"]


def test_senders_are_rate_limited(client, chat, settings):
    settings.CHATBOT_MESSAGES_PER_MINUTE = 2
    conversation = chat("en")
    conversation.say("hello")
    conversation.say("hello")
    refused = client.post(
        WEBHOOK, {"sender": conversation.sender, "message": "hello"}, content_type="application/json"
    )
    assert refused.status_code == 429 and refused.json()["detail"]


def test_contact_asks_the_country_and_says_whether_support_is_open(chat, support_lines):
    conversation = chat("fr")
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        (question,) = conversation.say("quel est votre numéro de téléphone ?")
        assert [b["payload"] for b in question["buttons"]][:2] == [
            '/contact{"country": "BE"}',
            '/contact{"country": "CH"}',
        ]
        (answer,) = conversation.say('/contact{"country": "CH"}')
    assert "+41 21 588 17 12" in answer["text"] and answer["custom"]["contact"]["open"] is True
    with time_machine.travel(SATURDAY_NIGHT, tick=False):
        (closed,) = chat("de", country="CH").say("Wie erreiche ich den Support?")
    assert closed["custom"]["contact"]["open"] is False
    assert closed["custom"]["contact"]["channel"] == "phone_emergency_only"
    assert {"title": "+41 21 588 17 12", "url": "tel:+41215881712"} in closed["custom"]["links"]


def test_a_french_handoff_out_of_hours_makes_an_urgent_request_with_its_transcript_and_the_emergency_line(
    chat, support_lines, django_capture_on_commit_callbacks
):
    conversation = chat("fr", country="CH")
    with time_machine.travel(SATURDAY_NIGHT, tick=False):
        rota()
        assert "Que se passe-t-il" in Chat.text(conversation.say("je veux parler à quelqu'un"))
        asked = conversation.say(
            "Tous les téléphones de contrôle affichent ROUGE à l'entrée, plus personne ne rentre, "
            "la file s'allonge"
        )
        assert asked[0]["text"]  # the scanners are named: the channel is known, references are asked
        conversation.say("/deny")
        summary = conversation.say("caisse@salle.example")
        assert "caisse@salle.example" in summary[0]["text"]
        with django_capture_on_commit_callbacks(execute=True):
            (sent,) = conversation.say("/affirm")
    request = SupportRequest.objects.get()
    assert sent["custom"]["request"] == request.reference and request.reference in sent["text"]
    assert request.urgent and request.channels == ["door_scanning"] and request.language == "fr"
    assert "+41 21 588 17 12" in sent["text"] and sent["custom"]["links"][0]["url"] == "tel:+41215881712"
    assert Page.objects.filter(request=request).exists(), "on-call paged"
    assert [who for who, _text in request.transcript][:2] == ["user", "bot"]
    assert any("ROUGE" in text for _who, text in request.transcript)


def test_a_not_urgent_handoff_in_hours_and_a_refusal_at_the_summary(chat, support_lines):
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        conversation = chat("en")
        conversation.say("can I talk to a human")
        conversation.say("I would like a copy of last month's invoice for our accountant")
        conversation.say('/channel{"channel": "payouts"}')
        conversation.say("none")
        conversation.say("compta@salle.example")
        (cancelled,) = conversation.say("/deny")
        assert not SupportRequest.objects.exists() and "Nothing was sent" in cancelled["text"]


def test_a_signed_in_requester_escalates_an_open_request_once_and_identity_needs_the_csrf_token(
    support_lines, organisation
):
    from escalation.services.requests import Draft, submit_request

    seller = make_user("caisse", Role.SELLER_ADMIN)
    organisation.memberships.create(user=seller, role=Role.SELLER_ADMIN)
    organisation.account_manager = make_user("manager", Role.ACCOUNT_MANAGER)
    organisation.save()
    request = submit_request(
        requester=seller,
        organisation_id=organisation.pk,
        draft=Draft(
            email="caisse@salle.example", subject="Versement", body="Le versement de novembre manque."
        ),
    )
    client = Client(enforce_csrf_checks=True)  # as a browser: the session cookie alone proves nothing
    client.force_login(seller)
    client.get("/fr/support/new/")  # a page with a form sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    conversation = Chat(client, "fr")
    anonymous = conversation.say(f"escalade ma demande {request.reference} stp")  # no token: anonymous
    assert "/handoff" in [b["payload"] for reply in anonymous for b in reply.get("buttons", [])]
    asked = conversation.say(f"escalade ma demande {request.reference} stp", HTTP_X_CSRFTOKEN=token)
    assert request.reference in asked[0]["text"]
    (done,) = conversation.say("le versement manque depuis trois semaines", HTTP_X_CSRFTOKEN=token)
    assert done["custom"]["request"] == request.reference
    request.refresh_from_db()
    assert request.escalation.manager == organisation.account_manager
    conversation.say(f"escalade {request.reference}", HTTP_X_CSRFTOKEN=token)
    (again,) = conversation.say("toujours rien", HTTP_X_CSRFTOKEN=token)
    assert "already" in again["text"] or "déjà" in again["text"]


def test_transcripts_are_purged_after_the_set_number_of_days(settings, support_lines):
    from chatbot.tasks import purge_transcripts
    from escalation.services.requests import Draft, submit_request

    settings.CHATBOT_TRANSCRIPT_DAYS = 30
    with time_machine.travel(TUESDAY_MORNING - timedelta(days=31), tick=False):
        old = submit_request(
            requester=None,
            organisation_id=None,
            draft=Draft(
                email="a@example.org",
                subject="Ancienne",
                body="Une vieille demande",
                transcript=[("user", "x")],
            ),
        )
    recent = submit_request(
        requester=None,
        organisation_id=None,
        draft=Draft(
            email="b@example.org", subject="Récente", body="Une demande récente", transcript=[("user", "y")]
        ),
    )
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        assert purge_transcripts.delay().get() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.transcript == [] and recent.transcript == [["user", "y"]]


def test_a_did_you_mean_button_answers_with_that_article_in_the_users_language(chat, help_content):
    (reply,) = chat("de").say('/faq{"article": "refund-order"}')
    assert reply["custom"]["article_key"] == "refund-order" and "/de/" in reply["custom"]["url"]
    assert reply["text"] and reply["custom"]["links"][0]["title"]


@pytest.mark.parametrize(
    "text, number",
    [
        ("what is your number in the united kingdom please", "+44 7400 818530"),
        ("le numéro pour le royaume uni svp", "+44 7400 818530"),
        ("Telefonnummer für die Schweiz?", "+41 21 588 17 12"),
    ],
)
def test_a_country_named_in_the_question_picks_its_line_even_in_several_words(
    chat, support_lines, text, number
):
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        replies = chat("en").say(text)
    assert number in replies[0]["text"]


def test_a_question_that_reads_like_a_no_is_answered_and_a_plain_no_thanks_is_not(client, chat, help_content):
    parsed = client.post("/model/parse", {"text": "reminder emals not sent"}, content_type="application/json")
    assert parsed.json()["intent"]["name"] in ("affirm", "deny", "out_of_scope")  # what makes it a trap
    (reply,) = chat("en").say("reminder emals not sent")
    assert reply["custom"]["article_key"] == "emails-not-sent"
    (reply,) = chat("de").say("nein danke, das wars")
    assert "custom" not in reply and reply["text"].startswith("Wie kann ich helfen")


def test_asking_for_a_person_about_something_an_article_covers_shows_it_and_still_hands_over(
    chat, help_content
):
    *article, question = chat("en").say("what to write when reporting a problem to support")
    assert [reply["custom"]["article_key"] for reply in article] == ["support-request-details"]
    assert question["text"].startswith("I will pass this on to support")
    (only,) = chat("en").say("talk to a human")
    assert only["text"].startswith("I will pass this on to support")
