"""The status page's domain events reach listeners once, after commit, with what they need."""

import pytest
from django.db import transaction

from hub.models import AuditEntry
from statuspage import selectors, services, signals
from statuspage.models import Incident


@pytest.fixture
def received():
    """Every statuspage signal a receiver gets, as (signal name, arguments) in order."""
    got = []
    receivers = {}
    for name in ("incident_opened", "incident_updated", "incident_resolved", "component_status_changed"):

        def receiver(sender, signal, name=name, **arguments):
            assert sender is not None
            got.append((name, arguments))

        receivers[name] = receiver
        getattr(signals, name).connect(receiver)
    yield got
    for name, receiver in receivers.items():
        getattr(signals, name).disconnect(receiver)


def open_pos_incident(operator, components):
    return services.create_incident(
        actor=operator,
        name="Caisses lentes",
        status="investigating",
        impact="major",
        body="Les caisses répondent lentement.",
        components={components.pos: "partial_outage"},
        notify=False,
    )


@pytest.mark.django_db
def test_an_incident_sends_opened_updated_resolved_after_commit(
    operator, components, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        incident = open_pos_incident(operator, components)
    assert [name for name, _ in received] == ["component_status_changed", "incident_opened"]
    changed, opened = received[0][1], received[1][1]
    assert changed == {
        "component_id": components.pos.pk,
        "slug": "pos",
        "previous_status": "operational",
        "status": "partial_outage",
        "incident_id": incident.pk,
    }
    assert opened["code"] == incident.code and opened["components"] == ["pos"]
    assert (opened["impact"], opened["status"]) == ("major", "investigating")
    assert opened["update_id"] == incident.updates.get().pk

    received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_update(
            actor=operator, incident=incident, status="identified", body="Trouvé.", notify=False
        )
    assert [name for name, _ in received] == ["incident_updated"]
    assert received[0][1]["previous_status"] == "investigating" and received[0][1]["status"] == "identified"

    received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.resolve_incident(actor=operator, incident=incident, body="Réglé.")
    assert [name for name, _ in received] == ["component_status_changed", "incident_resolved"]
    assert received[0][1]["status"] == "operational"
    incident.refresh_from_db()
    assert received[1][1]["resolved_at"] == incident.resolved_at


@pytest.mark.django_db
def test_nothing_is_sent_for_a_change_that_is_rolled_back(
    operator, components, received, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        open_pos_incident(operator, components)
        raise RuntimeError("something later in the same transaction failed")
    assert callbacks == [] and received == []
    assert not Incident.objects.exists()


@pytest.mark.django_db
def test_a_component_changed_by_hand_is_announced(
    operator, components, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.set_component_status(actor=operator, component=components.api, status="major_outage")
    assert received == [
        (
            "component_status_changed",
            {
                "component_id": components.api.pk,
                "slug": "api",
                "previous_status": "operational",
                "status": "major_outage",
                "incident_id": None,
            },
        )
    ]


@pytest.mark.django_db
def test_dismissing_the_pop_up_is_audited_and_the_selector_follows(operator, components, seller):
    incident = open_pos_incident(operator, components)
    assert selectors.notices(seller)[0]["popup"] is True
    services.dismiss_notice(user=seller, incident=incident)
    assert selectors.notices(seller)[0]["popup"] is False
    entry = AuditEntry.objects.get(action="status.notice_dismissed")
    assert entry.actor == seller and entry.target_id == str(incident.pk)
