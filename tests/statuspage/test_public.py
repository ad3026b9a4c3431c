"""The public status: Statuspage v2 documents, feeds, the page, and how it survives without a database."""

import json
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, connection
from django.utils import timezone

from statuspage import services, snapshot
from statuspage.models import ComponentStatusChange

from ..helpers import gunicorn_without_database

COMPONENT_FIELDS = {
    "id",
    "name",
    "status",
    "created_at",
    "updated_at",
    "position",
    "description",
    "showcase",
    "start_date",
    "group_id",
    "page_id",
    "group",
    "only_show_if_degraded",
}
INCIDENT_FIELDS = {
    "id",
    "name",
    "status",
    "created_at",
    "updated_at",
    "monitoring_at",
    "resolved_at",
    "impact",
    "shortlink",
    "started_at",
    "page_id",
    "incident_updates",
    "components",
}
UPDATE_FIELDS = {
    "id",
    "status",
    "body",
    "incident_id",
    "created_at",
    "updated_at",
    "display_at",
    "affected_components",
    "deliver_notifications",
    "custom_tweet",
    "tweet_id",
}
MAINTENANCE_FIELDS = INCIDENT_FIELDS | {
    "scheduled_for",
    "scheduled_until",
    "scheduled_remind_prior",
    "scheduled_reminded_at",
    "scheduled_auto_in_progress",
    "scheduled_auto_completed",
}


@pytest.fixture
def live(components, operator, django_capture_on_commit_callbacks):
    """An open incident on the POS and an upcoming maintenance of the API, published."""
    with django_capture_on_commit_callbacks(execute=True):
        incident = services.create_incident(
            actor=operator,
            name="Caisses lentes",
            status="investigating",
            impact="major",
            body="Les caisses répondent lentement.",
            components={components.pos: "partial_outage"},
            notify=False,
        )
        start = timezone.now() + timedelta(days=2)
        maintenance = services.schedule_maintenance(
            actor=operator,
            name="Mise à jour de l’API",
            body="Quelques minutes.",
            scheduled_for=start,
            scheduled_until=start + timedelta(hours=1),
            components=[components.api],
            notify=False,
        )
    return incident, maintenance


def get_json(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


@pytest.mark.django_db
def test_summary_has_the_statuspage_v2_shape(client, components, live):
    incident, maintenance = live
    summary = get_json(client, "/api/v2/summary.json")

    assert set(summary) == {"page", "components", "incidents", "scheduled_maintenances", "status"}
    assert set(summary["page"]) == {"id", "name", "url", "time_zone", "updated_at"}
    assert summary["status"] == {"indicator": "major", "description": "Partial System Outage"}
    by_id = {c["id"]: c for c in summary["components"]}
    for component in summary["components"]:
        assert set(component) >= COMPONENT_FIELDS
    pos = by_id[components.pos.code]
    assert pos["status"] == "partial_outage" and pos["name"] == "Caisse (POS)"
    assert pos["group_id"] == components.on_site.code and pos["group"] is False
    group = by_id[components.on_site.code]
    assert group["group"] is True and group["components"] == [components.pos.code]
    assert {c["status"] for c in summary["components"]} <= {
        "operational",
        "degraded_performance",
        "partial_outage",
        "major_outage",
        "under_maintenance",
    }

    (open_incident,) = summary["incidents"]
    assert set(open_incident) == INCIDENT_FIELDS
    assert open_incident["id"] == incident.code and open_incident["impact"] == "major"
    assert open_incident["status"] == "investigating"
    assert open_incident["shortlink"].endswith(f"/fr/status/incidents/{incident.code}/")
    (update,) = open_incident["incident_updates"]
    assert set(update) == UPDATE_FIELDS
    assert update["body"] == "Les caisses répondent lentement."
    assert update["affected_components"] == [
        {
            "code": components.pos.code,
            "name": "Caisse (POS)",
            "old_status": "operational",
            "new_status": "partial_outage",
        }
    ]
    (upcoming,) = summary["scheduled_maintenances"]
    assert set(upcoming) == MAINTENANCE_FIELDS
    assert upcoming["id"] == maintenance.code and upcoming["status"] == "scheduled"
    assert upcoming["components"][0]["id"] == components.api.code


@pytest.mark.django_db
def test_every_v2_document(client, components, live):
    incident, maintenance = live
    assert get_json(client, "/api/v2/status.json")["status"]["indicator"] == "major"
    assert len(get_json(client, "/api/v2/components.json")["components"]) == 3 + 2
    assert [i["id"] for i in get_json(client, "/api/v2/incidents.json")["incidents"]] == [incident.code]
    assert [i["id"] for i in get_json(client, "/api/v2/incidents/unresolved.json")["incidents"]] == [
        incident.code
    ]
    documents = {
        "scheduled-maintenances": [maintenance.code],
        "scheduled-maintenances/upcoming": [maintenance.code],
        "scheduled-maintenances/active": [],
    }
    for name, expected in documents.items():
        body = get_json(client, f"/api/v2/{name}.json")
        assert set(body) == {"page", "scheduled_maintenances"}
        assert [m["id"] for m in body["scheduled_maintenances"]] == expected
    assert get_json(client, "/api/v2/components.json?lang=de")["components"][0]["name"] == "Kasse (POS)"
    assert client.get("/api/v2/nothing.json").status_code == 404


@pytest.mark.django_db
def test_resolved_incident_leaves_unresolved_and_the_indicator(
    client, components, live, operator, django_capture_on_commit_callbacks
):
    incident, _maintenance = live
    with django_capture_on_commit_callbacks(execute=True):
        services.resolve_incident(actor=operator, incident=incident, body="Réparé.", language="fr")
    summary = get_json(client, "/api/v2/summary.json")
    assert summary["status"]["indicator"] == "none"
    assert summary["incidents"] == []
    (resolved,) = get_json(client, "/api/v2/incidents.json")["incidents"]
    assert resolved["status"] == "resolved" and resolved["resolved_at"]
    assert [u["status"] for u in resolved["incident_updates"]] == ["resolved", "investigating"]
    pos = next(c for c in summary["components"] if c["id"] == components.pos.code)
    assert pos["status"] == "operational"


@pytest.mark.django_db
def test_feeds_parse_back(client, live):
    incident, maintenance = live
    rss = ET.fromstring(client.get("/en/status/history.rss").content)
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    items = rss.findall("./channel/item")
    assert [i.findtext("title") for i in items] == [
        "Mise à jour de l’API — Scheduled",
        "Caisses lentes — Investigating",
    ]
    assert items[1].findtext("link").endswith(f"/en/status/incidents/{incident.code}/")
    assert "Les caisses répondent lentement." in items[1].findtext("description")
    assert items[1].findtext("guid") == f"guichet-incident-{incident.code}"

    atom_ns = {"a": "http://www.w3.org/2005/Atom"}
    atom = ET.fromstring(client.get("/fr/status/history.atom").content)
    assert atom.tag == "{http://www.w3.org/2005/Atom}feed"
    entries = atom.findall("a:entry", atom_ns)
    assert len(entries) == 2
    assert entries[1].find("a:link", atom_ns).get("href").endswith(f"/fr/status/incidents/{incident.code}/")
    assert entries[1].findtext("a:updated", namespaces=atom_ns)
    assert entries[1].findtext("a:title", namespaces=atom_ns) == "Caisses lentes — En cours d’analyse"


@pytest.mark.django_db
def test_a_change_is_public_as_soon_as_it_is_committed(
    client, components, operator, django_capture_on_commit_callbacks
):
    assert b"Caisses lentes" not in client.get("/fr/status/").content
    with django_capture_on_commit_callbacks(execute=True):
        services.set_component_status(actor=operator, component=components.booking, status="major_outage")
        services.create_incident(
            actor=operator,
            name="Caisses lentes",
            status="identified",
            impact="minor",
            body="Un serveur est lent.",
            components={components.pos: "degraded_performance"},
            notify=False,
        )
    page = client.get("/fr/status/").content.decode()
    assert "Caisses lentes" in page and "Un serveur est lent." in page
    assert get_json(client, "/api/v2/status.json")["status"]["indicator"] == "major"


@pytest.mark.django_db
def test_the_page_and_the_json_are_served_without_touching_the_database(
    client, live, django_assert_num_queries
):
    client.get("/fr/status/")  # warm: rebuilt after the writes already
    with django_assert_num_queries(0):
        assert client.get("/fr/status/").status_code == 200
        assert client.get("/de/status/").status_code == 200
        assert client.get("/api/v2/summary.json").status_code == 200


@pytest.mark.django_db
def test_the_page_reads_in_each_language_and_shows_timelines_playbooks_and_history(client, live):
    fr = client.get("/fr/status/").content.decode()
    assert "Caisse (POS)" in fr and "Panne partielle" in fr and "Mise à jour de l’API" in fr
    de = client.get("/de/status/").content.decode()
    assert "Kasse (POS)" in de and "Teilweiser Ausfall" in de
    en = client.get("/en/status/").content.decode()
    assert "Till (POS)" in en and "Partial outage" in en
    assert client.get("/status/").status_code == 302


@pytest.mark.django_db
def test_uptime_bars_come_from_the_recorded_history(client, components, operator):
    now = timezone.now()
    components.pos.created_at = now - timedelta(days=200)
    components.pos.save()
    yesterday = timezone.localtime(now).replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(
        days=1
    )
    ComponentStatusChange.objects.create(
        component=components.pos, status="major_outage", started_at=yesterday
    )
    ComponentStatusChange.objects.create(
        component=components.pos, status="operational", started_at=yesterday + timedelta(hours=6)
    )
    data = snapshot.build(now)
    pos = next(c for c in data["components"] if c["slug"] == "pos")
    assert len(pos["days"]) == 90
    assert pos["days"][-2] == {
        "date": yesterday.date().isoformat(),
        "status": "major_outage",
        "uptime": 75.0,
        "band": "major",
    }
    assert {d["status"] for d in pos["days"][:-2]} == {"operational"}
    assert pos["uptime_percent"] == pytest.approx(100 * (1 - 6 / (89 * 24 + hours_today(now))), abs=0.01)
    booking = next(c for c in data["components"] if c["slug"] == "online-booking")
    assert booking["days"][0]["status"] is None, "no bar before the component existed"


def hours_today(now):
    local = timezone.localtime(now)
    return (local - local.replace(hour=0, minute=0, second=0, microsecond=0)).total_seconds() / 3600


@pytest.mark.django_db
def test_incident_permalink(client, live):
    incident, _maintenance = live
    page = client.get(f"/en/status/incidents/{incident.code}/")
    assert page.status_code == 200
    assert "Les caisses répondent lentement." in page.content.decode()
    assert client.get("/en/status/incidents/nosuchthing/").status_code == 404


# --- Without the database ------------------------------------------------------------------------------


def unreachable(execute, sql, params, many, context):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


@pytest.mark.django_db
def test_with_the_database_unreachable_the_cached_snapshot_answers(client, live):
    client.get("/fr/status/")
    with connection.execute_wrapper(unreachable):
        page = client.get("/fr/status/")
        summary = client.get("/api/v2/summary.json")
    assert page.status_code == 200 and "Caisses lentes" in page.content.decode()
    assert (
        summary.status_code == 200 and json.loads(summary.content)["incidents"][0]["name"] == "Caisses lentes"
    )


@pytest.mark.django_db
def test_with_the_database_and_the_cache_lost_the_file_answers_marked_with_its_time(client, live):
    generated_at = json.loads(settings.STATUS_SNAPSHOT_FILE.read_text())["generated_at"]
    cache.clear()
    snapshot.clear_local()
    with connection.execute_wrapper(unreachable):
        page = client.get("/fr/status/")
        summary = client.get("/api/v2/summary.json")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Caisses lentes" in html and "la dernière situation publiée" in html
    assert summary.status_code == 200
    document = json.loads(summary.content)
    assert document["incidents"][0]["name"] == "Caisses lentes"
    assert document["page"]["updated_at"] <= generated_at


@pytest.mark.django_db
def test_a_server_whose_database_is_down_still_serves_the_status(live, tmp_path):
    """A real gunicorn pointed at a database nobody listens on, with an empty cache: the snapshot file."""
    snapshot._write_file(snapshot.build())
    var = tmp_path / "var"
    var.mkdir()
    (var / "status-snapshot.json").write_text(settings.STATUS_SNAPSHOT_FILE.read_text())
    with gunicorn_without_database(var) as read:
        page = read("/fr/status/")
        assert "Caisses lentes" in page and "la dernière situation publiée" in page
        summary = json.loads(read("/api/v2/summary.json"))
        assert summary["incidents"][0]["name"] == "Caisses lentes"
        assert summary["status"]["indicator"] == "major"


@pytest.mark.django_db
def test_browsers_get_the_page_compressed_once_at_the_change(client, live):
    import gzip

    plain = client.get("/fr/status/")
    packed = client.get("/fr/status/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 4
    summary = client.get("/api/v2/summary.json", headers={"Accept-Encoding": "gzip"})
    assert json.loads(gzip.decompress(summary.content))["status"]["indicator"] == "major"


@pytest.mark.django_db
def test_a_group_has_the_worst_status_of_its_live_members(
    client, components, operator, django_capture_on_commit_callbacks
):
    def group_statuses():
        documents = get_json(client, "/api/v2/components.json")["components"]
        return {c["id"]: c["status"] for c in documents if c["group"]}

    assert group_statuses() == {components.on_site.code: "operational", components.sales.code: "operational"}
    with django_capture_on_commit_callbacks(execute=True):
        services.set_component_status(actor=operator, component=components.pos, status="degraded_performance")
        services.set_component_status(actor=operator, component=components.booking, status="major_outage")
        services.set_component_status(actor=operator, component=components.api, status="under_maintenance")
        services.edit_component(actor=operator, component=components.api, group=components.sales)
    assert group_statuses() == {
        components.on_site.code: "degraded_performance",
        components.sales.code: "major_outage",
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_component(actor=operator, component=components.booking, retired=True)
    assert group_statuses()[components.sales.code] == "under_maintenance", "a retired member no longer counts"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, accept_language, name",
    [
        ("?lang=de", "en", "Kasse (POS)"),
        ("", "de-CH,de;q=0.9,en;q=0.5", "Kasse (POS)"),
        ("", "es,en;q=0.8", "Till (POS)"),
        ("?lang=xx", "en-GB", "Till (POS)"),
        ("", "", "Caisse (POS)"),
        ("", "es", "Caisse (POS)"),
    ],
)
def test_documents_speak_the_language_asked_by_query_then_header_then_french(
    client, components, live, query, accept_language, name
):
    response = client.get(f"/api/v2/summary.json{query}", headers={"Accept-Language": accept_language})
    summary = json.loads(response.content)
    (incident,) = summary["incidents"]
    assert [c["name"] for c in incident["components"]] == [name]
    assert incident["incident_updates"][0]["affected_components"][0]["name"] == name
    assert "Accept-Language" in response["Vary"], "caches keep one copy per language"
