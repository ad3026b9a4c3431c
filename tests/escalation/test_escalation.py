"""C5: escalation to the account manager, exactly once, and the SLA sweep that escalates by itself."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from escalation.models import Escalation, Priority, TimelineEntry
from escalation.services import escalations, sla
from hub.models import AuditEntry, OutboundMessage, Role
from tests.helpers import make_user, requires_postgres, run_concurrently
from tests.ticketing.factories import OrganisationFactory

from .conftest import new_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def staffed(organisation):
    manager = make_user("manon", Role.ACCOUNT_MANAGER, mobile="+41791234567", language="fr")
    organisation.account_manager = manager
    organisation.save()
    seller = make_user("caisse", Role.SELLER_ADMIN)
    organisation.memberships.create(user=seller, role=Role.SELLER_ADMIN)
    return organisation, manager, seller


def messages_to(address):
    return list(OutboundMessage.objects.filter(recipient=address).order_by("pk"))


def test_the_requester_escalates_once_and_the_manager_is_told_by_email_and_sms(staffed):
    organisation, manager, seller = staffed
    request = new_request(organisation, requester=seller)

    escalation, created = escalations.escalate(
        actor=seller, request_id=request.pk, reason="Ouverture dans 1 h"
    )
    again, created_again = escalations.escalate(actor=seller, request_id=request.pk, reason="Toujours rien")

    assert (created, created_again) == (True, False)
    assert again.pk == escalation.pk and escalation.manager == manager
    assert [m.channel for m in messages_to(manager.email)] == ["email"]
    assert "Ouverture dans 1 h" in messages_to(manager.email)[0].body
    assert [m.channel for m in messages_to("+41791234567")] == ["sms"]
    assert request.timeline.filter(kind=TimelineEntry.Kind.ESCALATED).count() == 1
    assert AuditEntry.objects.filter(action="support.escalated", target_id=str(request.pk)).count() == 1


def test_without_a_manager_the_head_of_support_gets_it_and_without_either_it_is_refused(
    settings, organisation
):
    request = new_request(organisation)
    agent = make_user("agent", Role.SUPPORT_AGENT)
    with pytest.raises(ValidationError):
        escalations.escalate(actor=agent, request_id=request.pk, reason="Critique")
    assert not Escalation.objects.exists()
    head = make_user("cheffe", Role.SUPPORT_AGENT)
    settings.SUPPORT_HEAD = "cheffe"
    escalation, _ = escalations.escalate(actor=agent, request_id=request.pk, reason="Critique")
    assert escalation.manager == head


def test_staff_of_another_organisation_cannot_escalate_and_a_reason_is_required(staffed):
    organisation, _manager, seller = staffed
    request = new_request(organisation, requester=seller)
    stranger = make_user("autre", Role.SELLER_ADMIN)
    OrganisationFactory().memberships.create(user=stranger, role=Role.SELLER_ADMIN)
    with pytest.raises(PermissionDenied):
        escalations.escalate(actor=stranger, request_id=request.pk, reason="Je veux voir")
    with pytest.raises(ValidationError):
        escalations.escalate(actor=seller, request_id=request.pk, reason="   ")
    assert not Escalation.objects.exists()


def test_the_manager_hands_it_back_with_a_note(staffed):
    organisation, manager, seller = staffed
    request = new_request(organisation, requester=seller)
    escalations.escalate(actor=seller, request_id=request.pk, reason="Critique")
    with pytest.raises(PermissionDenied):
        escalations.hand_back(actor=seller, request_id=request.pk, note="Non")
    escalation = escalations.hand_back(
        actor=manager, request_id=request.pk, note="Vu avec le client, support reprend"
    )
    assert escalation.handed_back_at and escalation.handback_note.startswith("Vu avec")
    assert request.timeline.filter(kind=TimelineEntry.Kind.HANDED_BACK).count() == 1
    with pytest.raises(ValidationError):
        escalations.hand_back(actor=manager, request_id=request.pk, note="Encore")


def test_a_breached_urgent_request_escalates_by_itself_once(staffed):
    organisation, manager, _seller = staffed
    now = timezone.now()
    urgent = new_request(
        organisation, priority=Priority.URGENT, urgent=True, first_response_due=now + timedelta(minutes=30)
    )
    normal = new_request(organisation, first_response_due=now + timedelta(minutes=30))
    assert sla.sweep()["breached_urgent"] == 0
    with time_machine.travel(now + timedelta(minutes=31)):
        assert sla.sweep() == {"breached_urgent": 1, "escalated": 1, "closed": 0}
        assert sla.sweep() == {"breached_urgent": 0, "escalated": 0, "closed": 0}
    urgent.refresh_from_db(), normal.refresh_from_db()
    assert urgent.breached_at and normal.breached_at
    assert Escalation.objects.get().request == urgent and Escalation.objects.get().automatic
    assert len(messages_to(manager.email)) == 1


def test_resolved_requests_close_themselves_after_seven_days(organisation):
    resolved = new_request(organisation, status="resolved", resolved_at=timezone.now())
    with time_machine.travel(timezone.now() + timedelta(days=6)):
        assert sla.close_resolved() == 0
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        assert sla.close_resolved() == 1
    resolved.refresh_from_db()
    assert resolved.status == "closed"


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_clicks_and_two_sweeps_at_once_give_one_escalation_and_one_message_per_channel():
    with transaction.atomic():
        organisation = OrganisationFactory(country="CH")
        manager = make_user("manon", Role.ACCOUNT_MANAGER, mobile="+41791234567")
        organisation.account_manager = manager
        organisation.save()
        seller = make_user("caisse", Role.SELLER_ADMIN)
        organisation.memberships.create(user=seller, role=Role.SELLER_ADMIN)
        request = new_request(
            organisation,
            requester=seller,
            priority=Priority.URGENT,
            urgent=True,
            first_response_due=timezone.now() - timedelta(minutes=1),
        )
    calls = iter([0, 1, 2, 3])

    def press_or_sweep():
        if next(calls) % 2:
            return sla.sweep()["escalated"]
        return int(escalations.escalate(actor=seller, request_id=request.pk, reason="Bloqué")[1])

    assert sum(run_concurrently(press_or_sweep, 4)) == 1
    assert Escalation.objects.count() == 1
    assert sorted(m.channel for m in OutboundMessage.objects.all()) == ["email", "sms"]
    assert TimelineEntry.objects.filter(kind=TimelineEntry.Kind.ESCALATED).count() == 1
