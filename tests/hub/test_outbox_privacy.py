"""What operators may read in the outbox: never a credential, and no body once it is old."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone, translation

from hub import messaging
from hub.models import MessageStatus, OutboundAttachment, OutboundMessage
from hub.tasks import purge_sent_bodies
from ticketing.services import sellers

from ..helpers import make_user
from ..ticketing.factories import CategoryFactory, OrganisationFactory, seller_admin
from ..ticketing.test_customer_space import buy

HIDDEN = "hidden: carries a credential"


def outbox_page(client, message) -> str:
    with translation.override("en"):
        return client.get(f"/en/backoffice/outbox/{message.pk}/").content.decode()


@pytest.mark.django_db
def test_a_password_reset_link_is_never_shown_to_operators(client, operator_client):
    make_user("sophie")
    client.post("/en/accounts/password-reset/", {"email": "sophie@example.org"})
    message = OutboundMessage.objects.get(recipient="sophie@example.org")
    link = re.search(r"/en/accounts/reset/\S+/", message.body).group(0)
    assert message.sensitive

    page = outbox_page(operator_client, message)
    assert HIDDEN in page
    assert link not in page and message.body not in page
    assert "sophie@example.org" in page, "the rest of the message stays visible"


@pytest.mark.django_db
def test_customer_sign_in_links_and_invitations_are_marked_as_credentials(client, operator_client):
    buy(CategoryFactory(), "buyer@example.org")
    client.post("/fr/my-tickets/", {"email": "buyer@example.org"}, REMOTE_ADDR="10.0.0.1")
    organisation = OrganisationFactory()
    sellers.invite_member(
        actor=seller_admin(organisation),
        organisation=organisation,
        email="door@example.org",
        role="door_staff",
        language="en",
    )
    link = OutboundMessage.objects.get(idempotency_key__startswith="customer-link:")
    invitation = OutboundMessage.objects.get(idempotency_key__startswith="invitation:")
    for message in (link, invitation):
        assert message.sensitive
        page = outbox_page(operator_client, message)
        assert HIDDEN in page and message.body not in page
    tickets = OutboundMessage.objects.filter(recipient="buyer@example.org").exclude(pk=link.pk)
    assert tickets.exists() and not any(m.sensitive for m in tickets)


@pytest.mark.django_db
def test_an_ordinary_message_is_shown(operator_client):
    message = messaging.enqueue_email(
        to="a@example.org", subject="Hello", body="The concert moves to 21:00", idempotency_key="k"
    )
    page = outbox_page(operator_client, message)
    assert "The concert moves to 21:00" in page and HIDDEN not in page


def queue_and_send(key, **extra):
    message = messaging.enqueue_email(
        to="a@example.org",
        subject="Tickets",
        body="Body",
        html="<p>Body</p>",
        idempotency_key=key,
        attachments=[("ticket.pdf", b"%PDF-1.4", "application/pdf")],
        **extra,
    )
    return message


@pytest.mark.django_db
def test_bodies_of_sent_messages_are_purged_after_the_retention_period(settings, operator_client):
    settings.OUTBOX_BODY_RETENTION_DAYS = 30
    settings.OUTBOX_BATCH_SIZE = 2  # several batches
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sent = [queue_and_send(f"sent-{i}") for i in range(5)]
        messaging.deliver_due()
        pending = queue_and_send("pending", send_after=start + timedelta(days=60))
        failed = queue_and_send("failed")
        OutboundMessage.objects.filter(pk=failed.pk).update(status=MessageStatus.FAILED)
    with time_machine.travel(start + timedelta(days=29), tick=False):
        assert purge_sent_bodies.delay().get() == 0, "nothing is old enough yet"
        recent = queue_and_send("recent")
        messaging.deliver_due()
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {
        MessageStatus.SENT,
        MessageStatus.PENDING,
        MessageStatus.FAILED,
    }

    with time_machine.travel(start + timedelta(days=30, minutes=1), tick=False):
        assert purge_sent_bodies.delay().get() == 5
        assert purge_sent_bodies.delay().get() == 0, "running it again changes nothing"

    for message in sent:
        message.refresh_from_db()
        assert (message.body, message.html, message.purged_at is not None) == ("", "", True)
        assert message.subject == "Tickets" and message.status == MessageStatus.SENT
    assert not OutboundAttachment.objects.filter(message__in=sent).exists()
    for kept in (pending, failed, recent):
        kept.refresh_from_db()
        assert (kept.body, kept.html, kept.purged_at) == ("Body", "<p>Body</p>", None), "still to be sent"
        assert kept.attachments.count() == 1
    assert "purged" in outbox_page(operator_client, sent[0])


def test_the_scheduler_runs_the_purge(settings):
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "hub.tasks.purge_sent_bodies" in schedule
