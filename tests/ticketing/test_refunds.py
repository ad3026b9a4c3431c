"""Refunds: the provider is asked outside any lock, with an idempotency key, and its answer is recorded."""

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from hub.models import AuditEntry, OutboundMessage
from ticketing.models import Order, Payment, Refund, Ticket
from ticketing.payments import PROVIDERS, PaymentError, ProviderUnavailable
from ticketing.payments.demo import DemoProvider
from ticketing.services import orders, refunds

from ..helpers import requires_postgres, run_concurrently
from .factories import CategoryFactory, pay, seller_admin


class ScriptedProvider(DemoProvider):
    """The demo bank at the boundary of the machine, answering refunds as told, and noting each call."""

    calls: list = []
    answers: list = []  # exceptions to raise, in turn; then the bank's real answer
    delay = 0.0
    seen_from_outside: list = []  # what another connection could lock during the call (PostgreSQL)

    def refund(self, *, transaction_id, amount, currency, idempotency_key):
        pending = Refund.objects.get(idempotency_key=idempotency_key)
        self.calls.append((idempotency_key, amount, connection.in_atomic_block, pending.status))
        if connection.vendor == "postgresql":
            self.seen_from_outside.append(lock_from_another_connection(pending.payment.order_id))
        time.sleep(self.delay)
        if self.answers:
            raise self.answers.pop(0)
        return super().refund(
            transaction_id=transaction_id, amount=amount, currency=currency, idempotency_key=idempotency_key
        )


def lock_from_another_connection(order_id) -> bool:
    """True when another connection can lock the order and its payments at once (no lock is held)."""
    result = []

    def lock():
        try:
            with transaction.atomic():
                Order.objects.select_for_update(nowait=True).get(pk=order_id)
                list(Payment.objects.select_for_update(nowait=True).filter(order_id=order_id))
            result.append(True)
        except Exception:
            result.append(False)
        finally:
            connection.close()

    thread = threading.Thread(target=lock)
    thread.start()
    thread.join()
    return result[0]


@pytest.fixture
def provider(monkeypatch):
    monkeypatch.setitem(PROVIDERS, "demo", f"{__name__}.ScriptedProvider")
    ScriptedProvider.calls, ScriptedProvider.answers, ScriptedProvider.seen_from_outside = [], [], []
    ScriptedProvider.delay = 0.0
    return ScriptedProvider


def paid_order(client, count=2):
    category = CategoryFactory(price=Decimal("25.00"))
    order = orders.place_order(
        event_id=category.event_id,
        buyer_email="buyer@example.org",
        language="fr",
        seats=[orders.Seat(category.pk, "A", f"B{i}") for i in range(count)],
    )
    pay(client, order)
    return Order.objects.get(pk=order.pk), seller_admin(category.event.organisation)


@pytest.mark.django_db(transaction=True)
def test_the_provider_is_asked_with_no_transaction_open_and_the_refund_is_recorded(client, provider):
    order, seller = paid_order(client)
    refunds.refund_order(actor=seller, order=order, reason="Customer cannot come")
    payment = order.payments.get()
    ((key, amount, in_transaction, status_during_call),) = provider.calls
    assert key == f"refund:{payment.pk}:1" and amount == Decimal("50.00")
    assert not in_transaction and status_during_call == Refund.Status.PENDING, "recorded before the call"
    if connection.vendor == "postgresql":
        assert provider.seen_from_outside == [True], "no row lock is held during the call"
    refund = Refund.objects.get()
    assert refund.status == Refund.Status.SUCCEEDED and refund.provider_reference.startswith("re_")
    assert refund.claimed_until is None and refund.requested_by == seller
    order.refresh_from_db()
    payment.refresh_from_db()
    assert (order.status, order.refunded_amount, payment.status) == ("refunded", Decimal("50.00"), "refunded")
    assert set(order.tickets.values_list("status", flat=True)) == {Ticket.Status.REFUNDED}
    assert OutboundMessage.objects.filter(idempotency_key=f"order-refunded:{order.reference}").count() == 1
    actions = AuditEntry.objects.filter(target_id=str(order.pk)).values_list("action", flat=True)
    assert {"refund.requested", "order.refunded"} <= set(actions)


@pytest.mark.django_db
def test_a_refused_refund_changes_nothing_tells_the_seller_why_and_a_retry_uses_a_new_key(client, provider):
    order, seller = paid_order(client)
    provider.answers = [PaymentError("the merchant balance is too low")]
    client.force_login(seller)
    page = client.post(
        f"/en/backoffice/orders/{order.reference}/refund/", {"reason": "Cancelled"}, follow=True
    ).content.decode()
    assert "refused the refund (the merchant balance is too low)" in page
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and order.refunded_amount == 0
    assert set(order.tickets.values_list("status", flat=True)) == {Ticket.Status.VALID}
    assert order.payments.get().status == Payment.Status.PAID
    failed = Refund.objects.get()
    assert (failed.status, failed.failure) == (Refund.Status.FAILED, "the merchant balance is too low")
    assert AuditEntry.objects.get(action="refund.failed").data["error"] == "the merchant balance is too low"
    assert not OutboundMessage.objects.filter(idempotency_key__startswith="order-refunded:").exists()

    refunds.refund_order(actor=seller, order=order, reason="Cancelled")
    payment = order.payments.get()
    assert [call[0] for call in provider.calls] == [f"refund:{payment.pk}:1", f"refund:{payment.pk}:2"]
    assert Order.objects.get(pk=order.pk).status == Order.Status.REFUNDED


@pytest.mark.django_db
def test_an_unanswered_refund_is_asked_again_with_the_same_key_and_made_once(client, provider):
    order, seller = paid_order(client)
    provider.answers = [ProviderUnavailable("read timed out")]
    with pytest.raises(refunds.RefundOutcomeUnknown):
        refunds.refund_order(actor=seller, order=order, reason="Cancelled")
    pending = Refund.objects.get()
    assert pending.status == Refund.Status.PENDING and pending.claimed_until is None
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID
    assert AuditEntry.objects.filter(action="refund.unconfirmed").count() == 1

    refunds.refund_order(actor=seller, order=order, reason="Cancelled")
    assert [call[0] for call in provider.calls] == [pending.idempotency_key] * 2, "the same refund again"
    assert Refund.objects.get().status == Refund.Status.SUCCEEDED
    assert Order.objects.get(pk=order.pk).status == Order.Status.REFUNDED


@pytest.mark.django_db
def test_a_refund_under_way_is_not_asked_for_a_second_time(client, provider):
    order, seller = paid_order(client)
    with transaction.atomic():  # a request has recorded its refund and is asking the provider
        refunds._claim(seller, order.payments.get(), amount=order.total, reason="first")
    with pytest.raises(refunds.RefundInProgress):
        refunds.refund_order(actor=seller, order=order, reason="second")
    assert provider.calls == [] and Refund.objects.count() == 1


@pytest.mark.django_db
def test_a_free_order_is_cancelled_without_the_provider(provider):
    category = CategoryFactory(price=Decimal("0.00"))
    order = orders.place_order(
        event_id=category.event_id,
        buyer_email="buyer@example.org",
        language="fr",
        seats=[orders.Seat(category.pk, "A", "B")],
    )
    refunds.refund_order(actor=seller_admin(category.event.organisation), order=order, reason="No show")
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and provider.calls == []
    assert order.tickets.get().status == Ticket.Status.REFUNDED


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_refunds_of_one_order_at_the_same_time_refund_it_once(client, provider):
    order, seller = paid_order(client)
    provider.delay = 1.0  # the second request arrives while the first is asking the provider

    def refund():
        try:
            refunds.refund_order(actor=seller, order=Order.objects.get(pk=order.pk), reason="Twice")
            return "refunded"
        except ValidationError:  # under way (or, on a slow machine, already refunded)
            return "refused"

    assert sorted(run_concurrently(refund, 2)) == ["refunded", "refused"]
    assert len(provider.calls) == 1
    assert Refund.objects.get().status == Refund.Status.SUCCEEDED
    assert AuditEntry.objects.filter(action="order.refunded").count() == 1
    assert OutboundMessage.objects.filter(idempotency_key__startswith="order-refunded:").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_migration_records_past_refunds_as_made_with_their_key(client):
    from django.db.migrations.executor import MigrationExecutor

    order, _seller = paid_order(client)
    payment = order.payments.get()
    before = [("ticketing", "0003_invitation_token_digest")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("ticketing", "Refund")
    old.objects.create(payment_id=payment.pk, amount=payment.amount, provider_reference="re_old", reason="x")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    refund = Refund.objects.get()
    assert (refund.status, refund.idempotency_key) == (Refund.Status.SUCCEEDED, f"refund-{payment.pk}")
    assert refund.completed_at == refund.created_at
