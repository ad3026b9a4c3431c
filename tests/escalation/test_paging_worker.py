"""The paging acceptance end to end with a live Celery worker (not eager): Saturday 22:00 in Zurich, an urgent
request sent through the form puts the on-call SMS in the outbox; the worker delivers it to the console SMS
backend within 60 s; a signed ``ACK`` reply stops the backup page."""

import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.db import connections
from kombu import pools

from escalation.models import Page, SupportRequest, TimelineEntry
from escalation.services import paging
from hub.celery import app
from hub.models import ConsoleSms, OutboundMessage, Role
from tests.helpers import make_user

from .test_paging import BACKUP, PRIMARY, rota, signed_ack

SATURDAY_NIGHT = datetime(2026, 12, 5, 22, 0, tzinfo=ZoneInfo("Europe/Zurich"))
DEADLINE_S = 60


def _forget_connections():
    """Producers connect anew, to the broker now configured (kombu keeps its pools, made on first use)."""
    pools.reset()
    app._pool = app.amqp._producer_pool = None


@pytest.fixture
def live_worker():
    """A real worker thread on an in-memory broker, running the project's registered tasks."""
    eager, broker = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager, app.conf.broker_url = False, "memory://"
    _forget_connections()
    app.loader.import_default_modules()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as worker:
            yield worker
    finally:
        app.conf.task_always_eager, app.conf.broker_url = eager, broker
        _forget_connections()
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_out_of_hours_the_worker_delivers_the_on_call_sms_within_a_minute_and_an_ack_stops_the_backup(
    client, settings, support_lines, organisation, live_worker
):
    seller = make_user("caisse", Role.SELLER_ADMIN)
    organisation.memberships.create(user=seller, role=Role.SELLER_ADMIN)
    with time_machine.travel(SATURDAY_NIGHT, tick=True):
        rota()
        client.force_login(seller)
        submitted = time.monotonic()
        response = client.post(
            "/de/support/new/",
            {
                "organisation": organisation.pk,
                "country": "CH",
                "subject": "Einlass",
                "body": "Am Eingang zeigen alle Handys rot, die Leute warten draussen, niemand kommt rein.",
                "channels": ["door_scanning"],
                "time_zone": "Europe/Zurich",
            },
        )
        assert response.status_code == 302
        request = SupportRequest.objects.get()
        assert request.urgent
        while not ConsoleSms.objects.filter(to=PRIMARY).exists():
            assert time.monotonic() - submitted < DEADLINE_S, "no SMS delivered within 60 s"
            time.sleep(0.2)
        delivered_in = time.monotonic() - submitted
        (sms,) = ConsoleSms.objects.filter(to=PRIMARY)
        assert request.reference in sms.body and "ACK" in sms.body
        assert OutboundMessage.objects.filter(recipient=PRIMARY, channel="sms").count() == 1
        assert delivered_in < DEADLINE_S

        assert signed_ack(client, settings, PRIMARY, "ACK").status_code == 200
        assert Page.objects.get(request=request).acknowledged_at is not None
    with time_machine.travel(SATURDAY_NIGHT + timedelta(minutes=11), tick=False):
        assert paging.page_backups() == 0
    assert not OutboundMessage.objects.filter(recipient=BACKUP).exists()
    kinds = list(request.timeline.values_list("kind", flat=True))
    assert TimelineEntry.Kind.PAGED in kinds and TimelineEntry.Kind.ACKNOWLEDGED in kinds
