"""Setting the page up without demo data (S1, S5, P2): operators create, edit, reorder, group and retire
components, groups and playbooks through the operator API and the back office (the same services)."""

import json

import pytest

from hub import tokens
from hub.models import AuditEntry, Role
from statuspage import services
from statuspage.models import Component, ComponentGroup, Incident, Playbook

from ..helpers import make_user

NAMES = {"fr": "Contrôle d’accès", "de": "Einlass", "en": "Door scanning"}
LANGUAGES = ("fr", "de", "en")


@pytest.fixture
def api(client, operator):
    """The operator API with a real token, as a script would call it."""
    _token, raw = tokens.create_token(actor=operator, user=operator, name="set-up script")

    def call(method, path, body=None, language="en"):
        return getattr(client, method)(
            f"/api/v1/status/{path}",
            data=json.dumps(body) if body is not None else None,
            content_type="application/json",
            headers={"Authorization": f"Bearer {raw}", "Accept-Language": language},
        )

    return call


def public_names(client, language: str) -> str:
    return client.get(f"/{language}/status/").content.decode()


@pytest.mark.django_db
def test_an_empty_page_is_set_up_through_the_operator_api(client, api, django_capture_on_commit_callbacks):
    assert "No component is monitored yet." in public_names(client, "en")
    with django_capture_on_commit_callbacks(execute=True):
        group = api("post", "groups/", {"slug": "venue", "name": {"fr": "Sur place", "de": "Vor Ort"}})
        created = api(
            "post",
            "components/",
            {
                "slug": "door-scanning",
                "name": NAMES,
                "description": {"fr": "Scan des billets", "de": "Ticket-Scan"},
                "group": "venue",
                "audience": ["door_staff", "seller_admin"],
            },
        )
    assert group.status_code == 201, group.content
    assert group.json() == {
        "slug": "venue",
        "id": ComponentGroup.objects.get().code,
        "name": {"fr": "Sur place", "de": "Vor Ort", "en": ""},
        "position": 1,
        "retired": False,
    }
    assert created.status_code == 201, created.content
    component = Component.objects.get()
    assert created.json() == {
        "slug": "door-scanning",
        "id": component.code,
        "name": NAMES,
        "description": {"fr": "Scan des billets", "de": "Ticket-Scan", "en": ""},
        "group": "venue",
        "audience": ["door_staff", "seller_admin"],
        "position": 1,
        "status": "operational",
        "retired": False,
    }
    assert "Contrôle d’accès" in public_names(client, "fr") and "Scan des billets" in public_names(
        client, "fr"
    )
    german = public_names(client, "de")
    assert "Einlass" in german and "Vor Ort" in german and "Ticket-Scan" in german
    english = public_names(client, "en")
    assert "Door scanning" in english and "Sur place" in english, "a missing translation falls back on French"
    assert [c["slug"] for c in api("get", "components/").json()] == ["door-scanning"]
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {
        "status.group_created",
        "status.component_created",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body, message",
    [
        ({"slug": "pos", "name": NAMES}, "slug: "),  # taken by the fixture's component
        ({"slug": "scanning", "name": {"de": "Einlass"}}, "name.fr: "),
        ({"slug": "Not a slug!", "name": NAMES}, "slug: "),
        ({"slug": "scanning", "name": NAMES, "group": "nowhere"}, "unknown group: nowhere"),
        ({"slug": "scanning", "name": {**NAMES, "fr": "x" * 101}}, "name.fr: "),
        ({"slug": "scanning", "name": NAMES, "audience": ["everyone"]}, "audience"),
        ({"slug": "scanning", "name": NAMES, "position": -1}, "position"),
    ],
)
def test_a_bad_component_is_explained_and_changes_nothing(client, components, api, body, message):
    response = api("post", "components/", body)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Component.objects.count() == 3
    assert not AuditEntry.objects.filter(action="status.component_created").exists()


@pytest.mark.django_db
def test_refusals_come_in_the_callers_language(client, components, api):
    response = api("post", "components/", {"slug": "pos", "name": NAMES}, language="de")
    assert "existiert bereits" in response.content.decode()


@pytest.mark.django_db
def test_components_are_edited_reordered_regrouped_and_their_audience_changed(
    client, components, api, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        changed = api(
            "patch",
            "components/api/",
            {"name": {"de": "Schnittstelle"}, "group": "sales", "position": 0, "audience": ["seller_admin"]},
        )
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert body["name"] == {"fr": "API", "de": "Schnittstelle", "en": ""}, "languages left out stay"
    assert (body["group"], body["position"], body["audience"]) == ("sales", 0, ["seller_admin"])
    by_id = {c["id"]: c for c in client.get("/api/v2/components.json?lang=de").json()["components"]}
    assert by_id[components.api.code]["name"] == "Schnittstelle"
    assert by_id[components.api.code]["group_id"] == components.sales.code
    assert by_id[components.sales.code]["components"] == [components.api.code, components.booking.code]
    ungrouped = api("patch", "components/api/", {"group": None}).json()
    assert ungrouped["group"] is None and ungrouped["name"]["de"] == "Schnittstelle"
    entry = AuditEntry.objects.filter(action="status.component_edited").order_by("pk").first()
    assert entry.data["before"]["position"] == 2 and entry.data["after"]["position"] == 0


@pytest.mark.django_db
def test_a_retired_component_leaves_the_page_and_the_forms_but_keeps_its_history(
    client, components, api, operator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        incident = services.create_incident(
            actor=operator,
            name="Caisses lentes",
            status="investigating",
            impact="minor",
            body="Lent.",
            components={components.pos: "degraded_performance"},
            notify=False,
        )
        services.resolve_incident(actor=operator, incident=incident, body="Réparé.")
        retired = api("patch", "components/pos/", {"retired": True})
    assert retired.status_code == 200 and retired.json()["retired"] is True
    assert "Caisse (POS)" not in public_names(client, "fr")
    assert components.pos.code not in {
        c["id"] for c in client.get("/api/v2/components.json").json()["components"]
    }
    assert "Caisse (POS)" not in client.get("/fr/status/subscribe/").content.decode()
    # The incident's history still names it, in each language.
    assert "Kasse (POS)" in client.get(f"/de/status/incidents/{incident.code}/").content.decode()
    (document,) = client.get("/api/v2/incidents.json?lang=de").json()["incidents"]
    assert [c["name"] for c in document["components"]] == ["Kasse (POS)"]
    assert document["incident_updates"][-1]["affected_components"][0]["name"] == "Kasse (POS)"
    # Operators see it among the retired, cannot set its status, and may bring it back.
    assert api("patch", "components/pos/", {"status": "major_outage"}).status_code == 400
    assert (
        api(
            "post", "incidents/", {"name": "X", "body": "Y", "components": {"pos": "major_outage"}}
        ).status_code
        == 400
    )
    assert Component.objects.get(slug="pos").status == "operational"
    assert api("get", "components/").json()[0] == retired.json()
    with django_capture_on_commit_callbacks(execute=True):
        assert api("patch", "components/pos/", {"retired": False}).json()["retired"] is False
    assert "Caisse (POS)" in public_names(client, "fr")
    assert list(
        AuditEntry.objects.filter(action__in=["status.retired", "status.restored"])
        .values_list("action", flat=True)
        .order_by("pk")
    ) == ["status.retired", "status.restored"]


@pytest.mark.django_db
def test_a_group_is_retired_only_once_its_components_are_gone(client, components, api):
    refused = api("patch", "groups/on-site/", {"retired": True})
    assert refused.status_code == 400 and "retired: " in refused.content.decode()
    assert ComponentGroup.objects.get(slug="on-site").retired_at is None
    api("patch", "components/pos/", {"group": "sales"})
    assert api("patch", "groups/on-site/", {"retired": True}).json()["retired"] is True
    assert "Sur place" not in public_names(client, "fr")
    assert api("patch", "components/api/", {"group": "on-site"}).status_code == 400, (
        "not into a retired group"
    )


@pytest.mark.django_db
def test_playbooks_are_created_edited_and_retired_through_the_api(client, components, api, operator_client):
    texts = {"fr": "Texte", "de": "Text", "en": "Text"}
    incomplete = api("post", "playbooks/", {"key": "call-us", "title": {"fr": "Appelez"}, "body": texts})
    assert incomplete.status_code == 400 and "title.de: " in incomplete.content.decode()
    created = api(
        "post",
        "playbooks/",
        {"key": "call-us", "title": {"fr": "Appelez", "de": "Anrufen", "en": "Call"}, "body": texts},
    )
    assert created.status_code == 201, created.content
    assert created.json()["title"] == {"fr": "Appelez", "de": "Anrufen", "en": "Call"}
    edited = api("patch", "playbooks/call-us/", {"body": {"en": "Call the support line."}, "position": 5})
    assert edited.json()["body"] == {"fr": "Texte", "de": "Text", "en": "Call the support line."}
    assert "Appelez" in operator_client.get("/fr/backoffice/status/incidents/new/").content.decode()
    api("patch", "playbooks/call-us/", {"retired": True})
    assert "Appelez" not in operator_client.get("/fr/backoffice/status/incidents/new/").content.decode()
    refused = api("post", "incidents/", {"name": "X", "body": "Y", "playbooks": ["call-us"]})
    assert refused.status_code == 400 and "unknown playbook: call-us" in refused.content.decode()
    assert not Incident.objects.exists()
    assert Playbook.objects.get(key="call-us").retired_at is not None


@pytest.mark.django_db
def test_only_operators_set_the_page_up(client, components):
    seller = make_user("sam", Role.SELLER_ADMIN)
    _token, raw = tokens.create_token(actor=seller, user=seller, name="mine")
    response = client.post(
        "/api/v1/status/components/",
        data=json.dumps({"slug": "x", "name": NAMES}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 403 and Component.objects.count() == 3
    client.force_login(seller)
    for path in ["components/", "components/new/", "groups/new/", "playbooks/new/", "components/pos/edit/"]:
        assert client.get(f"/fr/backoffice/status/{path}").status_code == 403


@pytest.mark.django_db
def test_the_back_office_sets_the_page_up_with_errors_in_the_operators_language(
    client, operator, django_capture_on_commit_callbacks
):
    client.force_login(operator)
    empty = client.get("/de/backoffice/status/components/").content.decode()
    assert "/de/backoffice/status/components/new/" in empty and 'class="card empty"' in empty
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client.post(
                "/de/backoffice/status/groups/new/",
                {"slug": "venue", "name_fr": "Sur place", "name_de": "Vor Ort"},
            ).status_code
            == 302
        )
    group = ComponentGroup.objects.get()
    refused = client.post("/de/backoffice/status/components/new/", {"slug": "door", "name_de": "Einlass"})
    assert refused.status_code == 200 and "Dieses Feld muss ausgefüllt werden." in refused.content.decode()
    assert not Component.objects.exists()
    form = {
        "slug": "door",
        "name_fr": "Contrôle d’accès",
        "name_de": "Einlass",
        "description_fr": "Scan des billets",
        "group": group.pk,
        "audience": ["door_staff"],
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/de/backoffice/status/components/new/", form).status_code == 302
    taken = client.post("/de/backoffice/status/components/new/", form).content.decode()
    assert "existiert bereits" in taken, "the service's refusal, on the form, in German"
    component = Component.objects.get()
    assert (component.group, component.audience, component.description_fr) == (
        group,
        ["door_staff"],
        "Scan des billets",
    )
    assert "Einlass" in public_names(client, "de")
    edit = "/de/backoffice/status/components/door/edit/"
    page = client.get(edit).content.decode()
    assert 'value="door"' in page and "disabled" in page, "the slug is set once"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, {**form, "slug": "changed", "name_de": "Einlass", "retired": "on"})
    component.refresh_from_db()
    assert component.slug == "door" and component.retired_at is not None
    assert "Einlass" not in public_names(client, "de")
    assert "Einlass" in client.get("/de/backoffice/status/components/").content.decode(), "listed as retired"


@pytest.mark.django_db
def test_the_demo_set_has_the_troubleshooting_playbook_and_promises_only_what_guichet_does(client):
    from io import StringIO

    from statuspage import demo

    demo.load(stdout=StringIO())
    first_steps = Playbook.objects.get(key="first-steps")
    for language in ("fr", "de", "en"):
        assert first_steps.title_in(language) and first_steps.body_in(language).count("\n") == 4
    assert "Contact us" in first_steps.body_en and "account ID" in first_steps.body_en  # what C2 asks for
    texts = " ".join(
        [
            *(
                " ".join(p.title_in(code) + p.body_in(code) for code in LANGUAGES)
                for p in Playbook.objects.all()
            ),
            *(
                " ".join(
                    getattr(c, f"{field}_{code}") for field in ("name", "description") for code in LANGUAGES
                )
                for c in Component.objects.all()
            ),
        ]
    ).lower()
    for not_yet in ("chatbot", "app store", "play store"):
        assert not_yet not in texts
    assert "/pos/" in texts  # the box office's POS, which keeps selling offline (P1, P5)
    assert {g.slug for g in ComponentGroup.objects.all()} == {"sales", "venue", "platform"}
    page = client.get("/de/status/").content.decode()
    assert (
        "Einlass / App-Scanner" in page
        and "Ticket-Scan, Ausgangspass, Scan-On-Air und Teilnehmerlisten" in page
    )


@pytest.mark.django_db
def test_a_retired_playbook_stays_with_the_incidents_that_show_it(
    client, components, operator, operator_client, django_capture_on_commit_callbacks
):
    texts = {"fr": "Appelez le support", "de": "Rufen Sie an", "en": "Call support"}
    with django_capture_on_commit_callbacks(execute=True):
        playbook = services.create_playbook(actor=operator, key="call-us", title=texts, body=texts)
        incident = services.create_incident(
            actor=operator,
            name="Caisses lentes",
            status="investigating",
            impact="minor",
            body="Lent.",
            components={components.pos: "degraded_performance"},
            playbooks=[playbook],
            notify=False,
        )
        services.edit_playbook(actor=operator, playbook=playbook, retired=True)
    assert "Rufen Sie an" in client.get(f"/de/status/incidents/{incident.code}/").content.decode()
    detail = f"/fr/backoffice/status/incidents/{incident.code}/"
    assert f'value="{playbook.pk}" checked' in operator_client.get(detail).content.decode()
    operator_client.post(detail, {"action": "playbooks", "playbooks": [playbook.pk]})
    assert list(incident.playbooks.all()) == [playbook], "saving the incident's playbooks keeps it"
