"""S2 through the chatbot: the status page's open incidents, live, in the user's language."""

import io
import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(operator):
    out = io.StringIO()
    call_command("create_api_token", operator.username, stdout=out)
    return out.getvalue().strip()


def api(client, path, token, body):
    return client.post(
        path, json.dumps(body), content_type="application/json", headers={"Authorization": f"Bearer {token}"}
    )


def test_a_pos_incident_is_answered_in_german_with_its_update_and_workaround_then_all_is_operational(
    client, chat, components, token, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = api(
            client,
            "/api/v1/status/incidents/",
            token,
            {
                "name": "Kassen hängen beim Bezahlen",
                "status": "investigating",
                "impact": "major",
                "body": "Die Kassen hängen beim Kartenzahlen.",
                "components": {"pos": "partial_outage"},
                "playbooks": ["cash-only"],
            },
        )
        assert created.status_code == 201, created.content
        code = created.json()["id"]
        assert (
            api(
                client,
                f"/api/v1/status/incidents/{code}/updates/",
                token,
                {
                    "status": "identified",
                    "body": "Ein Zahlungsserver ist überlastet; Barzahlung geht.",
                    "components": {},
                },
            ).status_code
            == 201
        )
    conversation = chat("de")
    replies = conversation.say("Gibt es gerade Probleme mit der Kasse?")
    text = conversation.text(replies)
    assert "Kassen hängen beim Bezahlen" in text
    assert "Ein Zahlungsserver ist überlastet" in text, "the latest update"
    assert "Notieren Sie die Verkäufe auf Papier" in text, "the workaround in German"
    (described,) = replies[0]["custom"]["incidents"]
    assert described["url"].endswith(f"/de/status/incidents/{code}/")
    assert {k: described[k] for k in ("code", "name", "components")} == {
        "code": code,
        "name": "Kassen hängen beim Bezahlen",
        "components": ["pos"],
    }
    links = [link["url"] for reply in replies for link in reply.get("custom", {}).get("links", [])]
    assert any(url.endswith("/de/status/subscribe/") for url in links)

    with django_capture_on_commit_callbacks(execute=True):
        api(client, f"/api/v1/status/incidents/{code}/resolve/", token, {"body": "Behoben."})
    again = conversation.text(conversation.say("Gibt es gerade Probleme mit der Kasse?"))
    assert "Kassen hängen" not in again and "Kasse (POS)" in again and "betriebsbereit" in again


def test_a_named_component_narrows_the_answer_and_all_clear_says_so(chat, components):
    reply = chat("en").say("are the scanners down?")[0]  # an article may follow
    assert "operational" in reply["text"] and "Door scanning" in reply["text"]
    assert reply["custom"]["incidents"] == []
    reply = chat("en").say("is anything down right now?")[0]
    assert reply["text"] == "All systems are operational right now."
