"""C2: a support request with the seed's fields, triaged, timed and paged when urgent out of hours."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from escalation.attachments import check_file
from escalation.models import OnCallShift, Page, SupportRequest
from escalation.services.requests import Draft, submit_request
from hub.models import AuditEntry, OutboundMessage, Role
from tests.helpers import make_user
from tests.ticketing.factories import EventFactory
from ticketing.models import Order
from ticketing.services.orders import new_reference

pytestmark = pytest.mark.django_db
ZURICH = ZoneInfo("Europe/Zurich")
SATURDAY_NIGHT = datetime(2026, 12, 5, 22, 0, tzinfo=ZURICH)
MONDAY_MORNING = datetime(2026, 12, 7, 10, 0, tzinfo=ZURICH)


def an_order(organisation=None):
    event = EventFactory(organisation=organisation) if organisation else EventFactory()
    return Order.objects.create(
        organisation=event.organisation,
        event=event,
        reference=new_reference(),
        buyer_email="fan@example.org",
        total=25,
        expires_at=event.starts_at,
    )


@pytest.fixture
def seller(organisation):
    user = make_user("caisse", Role.SELLER_ADMIN)
    organisation.memberships.create(user=user, role=Role.SELLER_ADMIN)
    return user


def draft(**fields):
    fields.setdefault("email", "caisse@salle.example")
    fields.setdefault("subject", "Einlass")
    fields.setdefault(
        "body", "Der Scanner am Eingang zeigt bei allen Tickets rot, die Leute warten draussen."
    )
    fields.setdefault("language", "de")
    fields.setdefault("channels", ["door_scanning"])
    return Draft(**fields)


def test_an_urgent_request_in_hours_is_triaged_with_reasons_and_due_in_thirty_minutes(
    support_lines, organisation, seller
):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        request = submit_request(requester=seller, organisation_id=organisation.pk, draft=draft())
    assert request.urgent and request.priority == "urgent" and request.reasons
    assert request.country == "CH"
    assert request.first_response_due == MONDAY_MORNING + timedelta(minutes=30)
    assert not Page.objects.exists()  # open: the desk answers
    assert AuditEntry.objects.filter(action="support.request_created", target_id=str(request.pk)).exists()


def test_an_invoice_question_is_normal_and_due_in_business_hours(support_lines, organisation, seller):
    with time_machine.travel(SATURDAY_NIGHT, tick=False):
        request = submit_request(
            requester=seller,
            organisation_id=organisation.pk,
            draft=draft(
                subject="DRINGEND!!!",
                body="Bitte die Rechnung von Oktober nochmal schicken.",
                channels=["payouts"],
            ),
        )
    assert not request.urgent and request.priority != "urgent"
    assert request.first_response_due > MONDAY_MORNING - timedelta(hours=1)  # counted from Monday 09:00


def test_urgent_out_of_hours_pages_on_call_after_commit(
    support_lines, organisation, seller, django_capture_on_commit_callbacks
):
    agent, backup = make_user("astreinte", Role.SUPPORT_AGENT), make_user("renfort", Role.SUPPORT_AGENT)
    OnCallShift.objects.create(
        user=agent,
        backup=backup,
        phone="+41791110001",
        backup_phone="+41791110002",
        starts_at=SATURDAY_NIGHT - timedelta(hours=4),
        ends_at=SATURDAY_NIGHT + timedelta(hours=10),
    )
    with time_machine.travel(SATURDAY_NIGHT, tick=False), django_capture_on_commit_callbacks(execute=True):
        request = submit_request(requester=seller, organisation_id=organisation.pk, draft=draft())
    assert Page.objects.get().request == request
    assert OutboundMessage.objects.filter(recipient="+41791110001", channel="sms").count() == 1


def test_order_references_are_linked_only_for_the_organisation_s_own_orders(
    support_lines, organisation, seller
):
    own, other = an_order(organisation), an_order()
    request = submit_request(
        requester=seller,
        organisation_id=organisation.pk,
        draft=draft(references=f"{own.reference.lower()}, https://salle.example/agenda"),
    )
    assert request.orders == [own.reference] and request.links == ["https://salle.example/agenda"]
    with pytest.raises(ValidationError) as refused:
        submit_request(
            requester=seller, organisation_id=organisation.pk, draft=draft(references=other.reference)
        )
    assert "references" in refused.value.message_dict
    with pytest.raises(ValidationError):
        submit_request(
            requester=seller, organisation_id=organisation.pk, draft=draft(references="javascript:alert(1)")
        )


def test_a_stranger_cannot_file_for_an_organisation_and_bad_input_changes_nothing(
    support_lines, organisation
):
    stranger = make_user("autre", Role.SELLER_ADMIN)
    with pytest.raises(PermissionDenied):
        submit_request(requester=stranger, organisation_id=organisation.pk, draft=draft())
    with pytest.raises(ValidationError) as refused:
        submit_request(
            requester=None, organisation_id=None, draft=draft(subject=" ", body="short", channels=["fax"])
        )
    assert set(refused.value.message_dict) == {"subject", "body", "channels"}
    assert not SupportRequest.objects.exists()


def test_files_are_stored_privately_with_the_request(support_lines, organisation, seller):
    log = check_file("erreur.log", b"HTTP 502 Bad Gateway at 19:04")
    request = submit_request(requester=seller, organisation_id=organisation.pk, draft=draft(files=[log]))
    (attachment,) = request.attachments.all()
    assert attachment.name == "erreur.log" and attachment.file.read() == b"HTTP 502 Bad Gateway at 19:04"
