"""The status page in German and English: the demo's incidents in the reader's language, an incident written
in one language saying so elsewhere, and status labels as the catalogue writes them."""

import io

import pytest

from statuspage import demo, services


@pytest.fixture
def demo_page(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demo.load(io.StringIO())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected", "french"),
    [
        (
            "de",
            [
                "Langsame Scans am Einlass",
                "Ticket-E-Mails verspätet",
                "Zahlungen von der Bank abgelehnt",
                "Zahlungen werden wieder angenommen.",
            ],
            ["Scans lents", "E-mails de billets retardés", "Paiements refusés", "de nouveau acceptés"],
        ),
        (
            "en",
            [
                "Slow scans at the door",
                "Ticket emails delayed",
                "Payments declined by the bank",
                "Payments are being accepted again.",
            ],
            ["Scans lents", "E-mails de billets retardés", "Paiements refusés", "de nouveau acceptés"],
        ),
    ],
)
def test_the_demo_incidents_read_in_the_page_s_language(client, demo_page, language, expected, french):
    page = client.get(f"/{language}/status/").content.decode()
    for text in expected:
        assert text in page, text
    for text in french:
        assert text not in page, text
    assert "lang-note" not in page, "every demo incident is translated"
    french_page = client.get("/fr/status/").content.decode()
    assert "Scans lents à l’entrée" in french_page and "Langsame Scans" not in french_page


@pytest.mark.django_db
def test_an_incident_written_in_one_language_says_so_on_the_others(
    client, components, operator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        incident = services.create_incident(
            actor=operator,
            name="Caisses lentes",
            status="investigating",
            impact="minor",
            body="Les caisses répondent lentement.",
            components={components.pos: "partial_outage"},
            notify=False,
        )
    english = client.get("/en/status/").content.decode()
    assert "Published in French only" in english
    assert '<h2 lang="fr">' in english and '<span lang="fr">Les caisses répondent lentement.' in english
    assert "lang-note" not in client.get("/fr/status/").content.decode()
    detail = client.get(f"/en/status/incidents/{incident.code}/").content.decode()
    assert "Published in French only" in detail

    with django_capture_on_commit_callbacks(execute=True):
        services.translate(actor=operator, incident=incident, language="en", name="Slow tills")
    english = client.get("/en/status/").content.decode()
    assert "Slow tills" in english and "Some messages were published in French only" in english

    with django_capture_on_commit_callbacks(execute=True):
        services.translate(
            actor=operator,
            incident=incident,
            language="en",
            update=incident.updates.first(),
            body="The tills respond slowly.",
        )
    assert "lang-note" not in client.get("/en/status/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.resolve_incident(
            actor=operator, incident=incident, body="Die Kassen sind schnell.", language="de"
        )
    assert "Some messages were published in German only" in client.get("/en/status/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        other = services.create_incident(
            actor=operator,
            name="API lente",
            status="investigating",
            impact="minor",
            body="L’API répond lentement.",
            components={components.api: "degraded_performance"},
            notify=False,
        )
        services.resolve_incident(actor=operator, incident=other, body="Die API ist schnell.", language="de")
    english = client.get(f"/en/status/incidents/{other.code}/").content.decode()
    assert "Not translated yet: shown in the languages it was written in" in english, "French and German"


@pytest.mark.django_db
def test_status_labels_keep_the_case_of_their_language(
    client, components, operator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.create_incident(
            actor=operator,
            name="Kassen langsam",
            language="de",
            status="investigating",
            impact="minor",
            body="Die Kassen reagieren langsam.",
            components={components.pos: "partial_outage", components.booking: "under_maintenance"},
            notify=False,
        )
    german = client.get("/de/status/").content.decode()
    assert "Kasse (POS) (Teilweiser Ausfall)" in german and "Online-Buchung (In Wartung)" in german
    assert "teilweiser ausfall" not in german and "in wartung" not in german
