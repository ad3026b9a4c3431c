"""Operators run the status page from the back office; every staff page carries the incident pop-up (S4)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from hub.models import AuditEntry
from statuspage import services
from statuspage.models import Component, Incident, Playbook

from ..helpers import make_user


@pytest.fixture
def incident(components, operator):
    playbook = Playbook.objects.create(
        key="slow-pos",
        title_fr="Caisse lente",
        title_de="Kasse langsam",
        title_en="Slow till",
        body_fr="Orientez vers la réservation en ligne.",
        body_de="Verweisen Sie auf die Online-Buchung.",
        body_en="Send visitors to online booking.",
    )
    return services.create_incident(
        actor=operator,
        name="Caisses lentes",
        status="investigating",
        impact="minor",
        body="Les caisses répondent lentement.",
        components={components.pos: "degraded_performance"},
        playbooks=[playbook],
        notify=False,
    )


@pytest.mark.django_db
def test_a_seller_sees_the_pop_up_then_a_banner_until_the_next_update(client, seller, incident, operator):
    client.force_login(seller)
    first = client.get("/fr/status/notice/").content.decode()
    assert "notice-popup" in first and "Caisses lentes" in first
    assert "Orientez vers la réservation en ligne." in first, "the playbook comes with it"
    assert f"/fr/status/incidents/{incident.code}/" in first

    client.post(f"/fr/status/notice/{incident.code}/dismiss/")
    after = client.get("/fr/status/notice/").content.decode()
    assert "notice-popup" not in after and "notice-banner" in after

    services.post_update(actor=operator, incident=incident, status="identified", body="Cause trouvée.")
    again = client.get("/fr/status/notice/").content.decode()
    assert "notice-popup" in again and "Cause trouvée." in again

    services.resolve_incident(actor=operator, incident=incident, body="Réparé.")
    assert "Caisses lentes" not in client.get("/fr/status/notice/").content.decode()


@pytest.mark.django_db
def test_the_pop_up_reaches_only_users_of_the_affected_components(
    client, door, incident, components, operator
):
    client.force_login(door)
    assert "Caisses lentes" not in client.get("/fr/status/notice/").content.decode()
    client.force_login(make_user("serge", "support_agent"))
    assert "Caisses lentes" in client.get("/fr/status/notice/").content.decode()
    client.force_login(door)
    components.pos.audience = ["door_staff"]
    components.pos.save()
    assert "Caisses lentes" in client.get("/fr/status/notice/").content.decode()


@pytest.mark.django_db
def test_the_pop_up_reads_in_the_users_language(client, components, incident, operator):
    services.translate(actor=operator, incident=incident, language="de", name="Kassen langsam")
    client.force_login(make_user("dieter", "seller_admin", language="de"))
    html = client.get("/de/status/notice/").content.decode()
    assert "Kassen langsam" in html and "Verweisen Sie auf die Online-Buchung." in html


@pytest.mark.django_db
def test_every_back_office_page_polls_for_the_notice(client, seller, settings):
    settings.STATUS_NOTICE_POLL_SECONDS = 7
    client.force_login(seller)
    html = client.get("/fr/backoffice/").content.decode()
    assert 'hx-get="/fr/status/notice/" hx-trigger="load"' in html
    fragment = client.get("/fr/status/notice/")
    poll = re.search(
        r'hx-get="(/fr/status/notice/\?seen=\w+)" hx-trigger="every 7s"', fragment.content.decode()
    )
    assert poll, "the fragment polls by itself"
    assert client.get(poll.group(1)).status_code == 204, "nothing new: the page is left alone"


@pytest.mark.django_db
def test_the_poll_brings_news_only_when_there_are_some(client, seller, incident, operator):
    client.force_login(seller)
    seen = re.search(r"\?seen=(\w+)", client.get("/fr/status/notice/").content.decode()).group(1)
    assert client.get(f"/fr/status/notice/?seen={seen}").status_code == 204
    services.post_update(actor=operator, incident=incident, status="identified", body="Cause trouvée.")
    news = client.get(f"/fr/status/notice/?seen={seen}")
    assert news.status_code == 200 and "Cause trouvée." in news.content.decode()


@pytest.mark.django_db
def test_only_operators_reach_the_status_screens(client, seller, components):
    client.force_login(seller)
    for path in [
        "/fr/backoffice/status/",
        "/fr/backoffice/status/incidents/new/",
        "/fr/backoffice/status/playbooks/",
    ]:
        assert client.get(path).status_code == 403
    response = client.post(
        f"/fr/backoffice/status/components/{components.pos.code}/", {"status": "major_outage"}
    )
    assert response.status_code == 403
    assert Component.objects.get(slug="pos").status == "operational"


@pytest.mark.django_db
def test_an_operator_opens_updates_and_resolves_an_incident_from_the_screens(
    operator_client, components, django_capture_on_commit_callbacks
):
    assert operator_client.get("/fr/backoffice/status/").status_code == 200
    form = {
        "name": "Paiements refusés",
        "language": "fr",
        "impact": "major",
        "status": "investigating",
        "body": "La banque refuse les paiements.",
        f"component_{components.booking.code}": "partial_outage",
        "notify": "on",
    }
    preview = operator_client.post("/fr/backoffice/status/preview/", form).content.decode()
    assert "Paiements refusés" in preview and "La banque refuse les paiements." in preview
    assert not Incident.objects.exists(), "a preview publishes nothing"

    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post("/fr/backoffice/status/incidents/new/", form)
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{incident.code}/")
    assert Component.objects.get(slug="online-booking").status == "partial_outage"
    assert "Paiements refusés" in operator_client.get("/fr/status/").content.decode()

    detail = f"/fr/backoffice/status/incidents/{incident.code}/"
    assert operator_client.get(detail).status_code == 200
    operator_client.post(
        detail,
        {
            "action": "translate",
            "language": "en",
            "name": "Payments refused",
            "body": "The bank refuses payments.",
        },
    )
    operator_client.post(
        detail,
        {"action": "update", "status": "resolved", "language": "fr", "body": "Tout est rentré dans l’ordre."},
    )
    incident.refresh_from_db()
    assert incident.status == "resolved" and incident.name_in("en") == "Payments refused"
    assert Component.objects.get(slug="online-booking").status == "operational"
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"status.incident_created", "status.translated", "status.incident_updated"} <= actions


@pytest.mark.django_db
def test_an_incident_without_title_is_refused_with_a_message(operator_client, components):
    response = operator_client.post(
        "/fr/backoffice/status/incidents/new/",
        {"name": "", "language": "fr", "impact": "minor", "status": "investigating", "body": ""},
    )
    assert response.status_code == 200 and 'class="errorlist' in response.content.decode()
    assert not Incident.objects.exists()


@pytest.mark.django_db
def test_an_operator_schedules_maintenance_and_edits_a_playbook(operator_client, components, incident):
    start = timezone.localtime() + timedelta(days=1)
    response = operator_client.post(
        "/fr/backoffice/status/maintenance/new/",
        {
            "name": "Migration",
            "language": "fr",
            "body": "Dix minutes.",
            "scheduled_for": start.strftime("%Y-%m-%dT%H:%M"),
            "scheduled_until": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "components": [components.api.pk],
            "notify": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert Incident.objects.filter(kind="maintenance", status="scheduled").count() == 1

    edit = "/fr/backoffice/status/playbooks/slow-pos/"
    assert operator_client.get(edit).status_code == 200
    fields = {
        "title_fr": "Caisse lente",
        "title_de": "Kasse langsam",
        "title_en": "Slow till",
        "body_fr": "Affichez les QR codes de réservation en ligne.",
        "body_de": "Zeigen Sie die QR-Codes.",
        "body_en": "Show the QR codes.",
        "position": 1,
    }
    saved = operator_client.post(edit, fields)
    assert saved.status_code == 302, saved.content.decode()[-3000:]
    assert Playbook.objects.get(key="slow-pos").body_fr == "Affichez les QR codes de réservation en ligne."
