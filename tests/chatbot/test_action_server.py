"""The real rasa-sdk action server (``manage.py run_action_server``, another process) answers Rasa's action
requests over the test database: the live status, and a support request created from the slots.

The server process shares the test's database: on PostgreSQL it connects to the test database itself; on
SQLite (an in-memory test database) the test copies the database into a file for it with SQLite's backup
API and copies it back to read what the server wrote.
"""

import json
import os
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from escalation.models import SupportRequest
from statuspage.models import Playbook
from statuspage.services.incidents import create_incident
from tests.helpers import free_port

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
DOMAIN = {"version": "3.1", "intents": ["status", "handoff"], "entities": ["component"], "slots": {}}


class ActionServer:
    def __init__(self, port: int, process: subprocess.Popen, database: Path | None):
        self.port, self.process, self.database = port, process, database

    def wait(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=5) as response:
                    assert json.load(response) == {"status": "ok"}
                    return
            except OSError:
                if self.process.poll() is not None:
                    pytest.fail("the action server stopped: " + self.process.stderr.read().decode()[-3000:])
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def run(self, action: str, *, text: str, slots=None, lang="en", entities=(), events=()) -> dict:
        call = {
            "next_action": action,
            "sender_id": "t1",
            "tracker": {
                "sender_id": "t1",
                "slots": dict(slots or {}),
                "latest_message": {
                    "text": text,
                    "intent": {"name": "status", "confidence": 0.99},
                    "entities": list(entities),
                    "metadata": {"lang": lang},
                },
                "events": list(events),
                "paused": False,
                "followup_action": None,
                "active_loop": {},
                "latest_action_name": "action_listen",
            },
            "domain": DOMAIN,
            "version": "3.1.0",
        }
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/webhook",
            data=json.dumps(call).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            pytest.fail(f"{error.code}: {error.read().decode()[-3000:]}")

    def read_back(self) -> None:
        """What the server wrote, into the test's database (SQLite only; PostgreSQL shares it)."""
        if self.database is not None:
            source = sqlite3.connect(self.database)
            try:
                source.backup(connection.connection)
            finally:
                source.close()


def database_url(tmp_path: Path) -> tuple[str, Path | None]:
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = tmp_path / "shared.sqlite3"
        target = sqlite3.connect(copy)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return f"sqlite:///{copy}", copy
    assert connection.vendor == "postgresql"
    user = quote(database["USER"] or "")
    password = f":{quote(database['PASSWORD'])}" if database["PASSWORD"] else ""
    port = f":{database['PORT']}" if database["PORT"] else ""
    url = f"postgres://{user}{password}@{database['HOST'] or '127.0.0.1'}{port}/{database['NAME']}"
    return url, None


@contextmanager
def action_server(tmp_path: Path):
    """``manage.py run_action_server`` on a free port over the test database, started after the test's data
    is written (SQLite: the copy is taken then)."""
    url, copy = database_url(tmp_path)
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "DATABASE_URL")}
    env.update(
        DATABASE_URL=url,
        SECRET_KEY=os.environ.get("SECRET_KEY", "test-only-secret-key-for-the-action-server"),
        GUICHET_VAR_DIR=str(tmp_path / "var"),  # its own cache and Celery queue: tasks wait there
        SITE_URL=settings.SITE_URL,
        DJANGO_SETTINGS_MODULE="hub.settings",
        LOG_LEVEL="WARNING",
    )
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_action_server", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    server = ActionServer(port, process, copy)
    try:
        server.wait()
        yield server
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def texts(answer: dict) -> str:
    return "\n".join(response.get("text") or "" for response in answer["responses"])


def test_the_action_server_answers_status_with_the_open_incident_on_the_till(tmp_path, components, operator):
    incident = create_incident(
        actor=operator,
        name="Tills freeze when paying",
        status="identified",
        impact="major",
        body="The card terminal times out; cash works.",
        components={components["pos"]: "partial_outage"},
        language="en",
        playbooks=list(Playbook.objects.filter(key="cash-only")),
        notify=False,
    )
    with action_server(tmp_path) as server:
        answer = server.run("action_check_status", text="is the till down?")
        everything = server.run("action_check_status", text="is anything down right now?", lang="de")
        scanners = server.run("action_check_status", text="Les scanners sont en panne ?", lang="fr")
        faq = server.run("action_answer_faq", text="Wie wird das Wetter morgen in Lissabon?", lang="de")

    assert answer["events"] == [{"event": "slot", "timestamp": None, "name": "language", "value": "en"}]
    text = texts(answer)
    assert "Yes, there is a known problem on Till (POS)" in text
    assert "Tills freeze when paying" in text
    assert "The card terminal times out; cash works." in text, "the latest update"
    assert "Write the sales down and enter them afterwards." in text, "the workaround in English"
    first = answer["responses"][0]
    assert first["custom"]["incidents"][0]["code"] == incident.code
    assert first["custom"]["incidents"][0]["components"] == ["pos"]
    assert first["custom"]["incidents"][0]["url"].startswith(settings.SITE_URL)

    assert "Tills freeze when paying" in texts(everything), "no component named: every open incident"
    assert everything["events"][0]["value"] == "en", "a long English message is English on a German page"
    (scanning,) = scanners["responses"]
    assert "Contrôle d’accès" in scanning["text"] and scanning["custom"]["incidents"] == []
    assert scanners["events"][0]["value"] == "fr"
    (nothing,) = faq[
        "responses"
    ]  # no article answers it (help centre loaded or not): said so, a person offered
    assert [button["payload"] for button in nothing["buttons"]] == ["/handoff", "/deny"]
    assert faq["events"][0]["value"] == "de"


def test_the_action_server_creates_an_anonymous_support_request_from_the_slots(tmp_path, support_lines):
    slots = {
        "description": "All our tills froze at the box office, people are queuing outside.",
        "email": "Caisse@Salle.example",
        "references": "https://salle.example/agenda/concert",
        "country": "CH",
        "channels": None,
    }
    events = [
        {"event": "user", "text": "I need a human", "timestamp": 1.0},
        {"event": "bot", "text": "I will pass this on to support.", "timestamp": 2.0},
        {"event": "user", "text": slots["description"], "timestamp": 3.0},
    ]
    with action_server(tmp_path) as server:
        answer = server.run(
            "action_create_support_request", text="caisse@salle.example", slots=slots, events=events
        )
        refused = server.run(
            "action_create_support_request", text="help", slots={**slots, "email": "not an address"}
        )
        contact = server.run(
            "action_contact_info",
            text='/contact{"country": "BE"}',
            lang="de",
            entities=[{"entity": "country", "value": "BE"}],
        )
        question = server.run("action_contact_info", text="Comment vous joindre ?", lang="fr")
        server.read_back()

    set_slots = {event["name"]: event["value"] for event in answer["events"] if event["event"] == "slot"}
    reference = set_slots["request_reference"]
    request = SupportRequest.objects.get(reference=reference)
    assert request.requester is None and request.organisation is None, "nobody is signed in on Rasa's side"
    assert request.requester_email == "caisse@salle.example"
    assert request.channels == ["box_office"], "from the component the description names"
    assert request.links == ["https://salle.example/agenda/concert"]
    assert request.country == "CH" and request.language == "en"
    assert request.transcript[0] == ["user", "I need a human"] and len(request.transcript) == 3
    (response,) = answer["responses"]
    assert reference in response["text"] and response["custom"]["request"] == reference
    assert set_slots["description"] is None, "a next handoff starts afresh"

    assert SupportRequest.objects.count() == 1, "a bad email creates nothing"
    assert refused["responses"][0]["text"] == "Which email address should support answer to?"
    assert {"event": "slot", "timestamp": None, "name": "email", "value": None} in refused["events"]

    (line,) = contact["responses"]
    assert "+32 2 808 29 56" in line["text"] and line["custom"]["contact"]["country"] == "BE"
    assert {"event": "slot", "timestamp": None, "name": "country", "value": "BE"} in contact["events"]
    (ask,) = question["responses"]
    assert [button["payload"] for button in ask["buttons"]][:2] == [
        '/contact{"country": "BE"}',
        '/contact{"country": "CH"}',
    ]
