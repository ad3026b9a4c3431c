"""C3: urgent requests out of hours page the person on call, then the backup; each step exactly once."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from twilio.request_validator import RequestValidator

from escalation.models import OnCallShift, Page, Priority, TimelineEntry
from escalation.services import paging
from hub.messaging import outbox
from hub.models import ConsoleSms, OutboundMessage, Role
from tests.helpers import make_user, requires_postgres, run_concurrently

from .conftest import new_request

pytestmark = pytest.mark.django_db
PRIMARY, BACKUP = "+41791110001", "+41791110002"
TOKEN = "test-auth-token"


def rota():
    now = timezone.now()
    return OnCallShift.objects.create(
        user=make_user("astreinte", Role.SUPPORT_AGENT),
        backup=make_user("renfort", Role.SUPPORT_AGENT),
        phone=PRIMARY,
        backup_phone=BACKUP,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=12),
    )


def urgent_request():
    return new_request(priority=Priority.URGENT, urgent=True)


def sms_to(number):
    return OutboundMessage.objects.filter(recipient=number, channel="sms")


def signed_ack(client, settings, number, body="ACK"):
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.SITE_URL = "https://guichet.example"
    data = {"From": number, "Body": body}
    path = "/hooks/twilio/sms/"
    signature = RequestValidator(TOKEN).compute_signature(f"https://guichet.example{path}", data)
    return client.post(path, data, HTTP_X_TWILIO_SIGNATURE=signature)


def test_the_person_on_call_is_paged_once_by_sms_and_email_and_the_worker_delivers_it():
    shift = rota()
    request = urgent_request()
    first = paging.page(request_id=request.pk)
    assert paging.page(request_id=request.pk) is None
    assert first.user == shift.user and first.phone == PRIMARY
    (sms,) = sms_to(PRIMARY)
    assert request.reference in sms.body and "ACK" in sms.body
    assert OutboundMessage.objects.filter(recipient=shift.user.email, channel="email").count() == 1
    outbox.deliver_due()
    assert ConsoleSms.objects.filter(to=PRIMARY, body__contains=request.reference).count() == 1
    assert request.timeline.filter(kind=TimelineEntry.Kind.PAGED).count() == 1


def test_without_an_ack_in_ten_minutes_the_backup_is_paged_once():
    rota()
    request = urgent_request()
    paging.page(request_id=request.pk)
    with time_machine.travel(timezone.now() + timedelta(minutes=9)):
        assert paging.page_backups() == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert paging.page_backups() == 1
        assert paging.page_backups() == 0
    assert sms_to(BACKUP).count() == 1
    assert list(request.pages.values_list("step", flat=True)) == ["primary", "backup"]


def test_a_signed_ack_reply_stops_the_backup_page(client, settings):
    rota()
    request = urgent_request()
    paging.page(request_id=request.pk)
    assert signed_ack(client, settings, PRIMARY, "ack merci").status_code == 200
    page = Page.objects.get()
    assert page.acknowledged_at is not None
    assert request.timeline.filter(kind=TimelineEntry.Kind.ACKNOWLEDGED).get().data["via"] == "sms"
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert paging.page_backups() == 0
    assert not sms_to(BACKUP).exists()


def test_an_unsigned_ack_or_another_word_acknowledges_nothing(client, settings):
    rota()
    paging.page(request_id=urgent_request().pk)
    settings.TWILIO_AUTH_TOKEN = TOKEN
    assert client.post("/hooks/twilio/sms/", {"From": PRIMARY, "Body": "ACK"}).status_code == 403
    assert signed_ack(client, settings, PRIMARY, "qui est-ce ?").status_code == 200
    assert signed_ack(client, settings, BACKUP, "ACK").status_code == 200  # not the paged number
    assert Page.objects.get().acknowledged_at is None


def test_the_link_acknowledges_on_post_only(client):
    rota()
    page = paging.page(request_id=urgent_request().pk)
    url = f"/fr/support/page/{page.token}/"
    assert client.get(url).status_code == 200
    page.refresh_from_db()
    assert page.acknowledged_at is None
    response = client.post(url)
    assert response.status_code == 200
    page.refresh_from_db()
    assert page.acknowledged_at is not None
    assert client.get("/fr/support/page/unknown-token/").status_code == 404


def test_nobody_on_call_or_a_closed_request_pages_nobody():
    request = urgent_request()
    assert paging.page(request_id=request.pk) is None
    rota()
    request.status = "resolved"
    request.save()
    assert paging.page(request_id=request.pk) is None
    assert not OutboundMessage.objects.exists()


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_paging_at_once_send_one_sms_per_step():
    with transaction.atomic():
        rota()
        request = urgent_request()
    run_concurrently(lambda: paging.page(request_id=request.pk), 2)
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        run_concurrently(paging.page_backups, 2)
    assert sms_to(PRIMARY).count() == 1
    assert sms_to(BACKUP).count() == 1
    assert Page.objects.count() == 2
