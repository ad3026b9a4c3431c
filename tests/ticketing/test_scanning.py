"""Door scanning: the redeem service, the scan API with device tokens, the scan page."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hub.models import AuditEntry, Role
from ticketing.models import Membership, Presence, Scan, Ticket
from ticketing.services import orders, scanning

from ..helpers import make_user, requires_postgres, run_concurrently
from .factories import CategoryFactory, EventFactory, OrganisationFactory, seller_admin

API = "/api/v1/checkin/scan/"


def sold_ticket(category=None, **fields) -> Ticket:
    category = category or CategoryFactory(**fields)
    order = orders.place_order(
        event_id=category.event_id,
        buyer_email="a@example.org",
        language="fr",
        seats=[orders.Seat(category.pk, "Alice", "Durand")],
    )
    orders.confirm_paid(order, timezone.now(), send_tickets=False)
    return order.tickets.get()


def scan(ticket, direction="entry", **kwargs):
    kwargs.setdefault("organisation_id", ticket.event.organisation_id)
    return scanning.redeem(code=ticket.secret, direction=direction, **kwargs)


@pytest.mark.django_db
def test_entry_then_red_then_exit_pass_then_green_again():
    ticket = sold_ticket()
    first = scan(ticket, gate="North")
    assert first.result == "admitted" and first.green
    assert first.ticket.last_name == "Durand"
    again = scan(ticket, gate="South")
    assert again.result == "already_inside" and not again.green
    assert again.first_scan_at == first.first_scan_at and again.first_gate == "North"
    assert scan(ticket, "exit").result == "exited"
    assert Ticket.objects.get().presence == Presence.OUT
    assert scan(ticket, "exit").result == "not_inside"
    assert scan(ticket).result == "admitted", "re-entry after an exit pass"
    assert list(Scan.objects.order_by("id").values_list("result", flat=True)) == [
        "admitted",
        "already_inside",
        "exited",
        "not_inside",
        "admitted",
    ]


@pytest.mark.django_db
def test_codes_that_are_no_good_are_refused_with_a_reason():
    ticket = sold_ticket()
    other = sold_ticket(CategoryFactory())
    assert (
        scanning.redeem(
            code="not-a-ticket", direction="entry", organisation_id=ticket.event.organisation_id
        ).result
        == "unknown"
    )
    foreign = scan(other, organisation_id=ticket.event.organisation_id)
    assert foreign.result == "wrong_event" and foreign.ticket is None, (
        "nothing shown of another organiser's ticket"
    )
    Ticket.objects.filter(pk=ticket.pk).update(status="refunded")
    assert scan(ticket).result == "cancelled"
    assert Scan.objects.count() == 3, "failed attempts are logged too"
    assert Ticket.objects.get(pk=other.pk).presence == Presence.ABSENT


@pytest.mark.django_db
def test_the_scanned_url_works_and_a_ticket_number_only_when_typed():
    ticket = sold_ticket()
    assert scanning.extract_code(f"https://guichet.example/t/{ticket.secret}/") == ticket.secret
    assert scanning.ticket_number(f" {ticket.number.lower()} ") == ticket.number
    assert scanning.ticket_number(ticket.secret) is None
    organisation_id = ticket.event.organisation_id
    as_secret = scanning.redeem(code=ticket.number, direction="entry", organisation_id=organisation_id)
    assert as_secret.result == "unknown", "a ticket number is no secret"
    typed = scanning.redeem(
        code=ticket.number, direction="entry", organisation_id=organisation_id, by_number=True
    )
    assert typed.result == "admitted"


# The decision as a table: what a scan does with a ticket in a given state, depending on who scans it. On
# PostgreSQL every case runs through both paths of the redeem service (one statement, and the statements one
# after the other, which other databases use); elsewhere through the second.
CASES = [
    # status, presence before, direction, who scans → result, presence after
    ("valid", "absent", "entry", "organisation", "admitted", "inside"),
    ("valid", "inside", "entry", "organisation", "already_inside", "inside"),
    ("valid", "out", "entry", "organisation", "admitted", "inside"),
    ("valid", "absent", "exit", "organisation", "not_inside", "absent"),
    ("valid", "inside", "exit", "organisation", "exited", "out"),
    ("valid", "out", "exit", "organisation", "not_inside", "out"),
    ("refunded", "absent", "entry", "organisation", "cancelled", "absent"),
    ("refunded", "inside", "exit", "organisation", "cancelled", "inside"),
    ("void", "absent", "entry", "organisation", "cancelled", "absent"),
    ("reserved", "absent", "entry", "organisation", "cancelled", "absent"),
    ("valid", "absent", "entry", "this event", "admitted", "inside"),
    ("valid", "inside", "exit", "this event", "exited", "out"),
    ("valid", "absent", "entry", "another event", "wrong_event", "absent"),
    ("valid", "inside", "exit", "another event", "wrong_event", "inside"),
    ("refunded", "absent", "entry", "another event", "wrong_event", "absent"),
    ("valid", "absent", "entry", "another organisation", "wrong_event", "absent"),
    ("valid", "inside", "exit", "another organisation", "wrong_event", "inside"),
    ("valid", "absent", "entry", "no ticket", "unknown", "absent"),
]
PATHS = (
    ["statements", "one statement"] if connection.vendor in scanning.ONE_STATEMENT_VENDORS else ["statements"]
)


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(("status", "presence", "direction", "who", "result", "after"), CASES)
def test_the_scan_decision(monkeypatch, path, status, presence, direction, who, result, after):
    if path == "statements":
        monkeypatch.setattr(scanning, "ONE_STATEMENT_VENDORS", frozenset())
    ticket = sold_ticket()
    first = timezone.now() - timedelta(hours=1) if presence != "absent" else None
    Ticket.objects.filter(pk=ticket.pk).update(
        status=status, presence=presence, first_entry_at=first, first_entry_gate="North" if first else ""
    )
    organisation_id, event_id = ticket.event.organisation_id, None
    if who == "this event":
        event_id = ticket.event_id
    elif who == "another event":
        event_id = EventFactory(organisation=ticket.event.organisation).pk
    elif who == "another organisation":
        organisation_id = OrganisationFactory().pk
    code = "not-a-ticket-secret-at-all" if who == "no ticket" else ticket.secret
    with CaptureQueriesContext(connection) as queries:
        outcome = scanning.redeem(
            code=code, direction=direction, organisation_id=organisation_id, event_id=event_id, gate="South"
        )
    assert len(data_statements(queries)) <= (1 if path == "one statement" else 3)
    assert outcome.result == result
    shown = who not in ("another organisation", "no ticket")
    assert (outcome.ticket is not None) == shown, "nothing is shown of another organisation's ticket"
    scan = Scan.objects.get()
    found = who != "no ticket"
    assert (scan.result, scan.ticket_id, scan.previous_presence, scan.code) == (
        result,
        ticket.pk if found else None,
        presence if found else "",
        "" if found else code,
    )
    ticket.refresh_from_db()
    assert ticket.presence == after
    if result == "admitted":
        assert ticket.first_entry_gate == ("North" if first else "South"), "the first entry is kept"
        assert outcome.first_scan_at == ticket.first_entry_at
    if shown and result == "already_inside":
        assert (outcome.first_scan_at, outcome.first_gate) == (first, "North")


def data_statements(queries) -> list[str]:
    """The SQL a path runs, without transaction control (BEGIN, COMMIT, savepoints)."""
    control = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK")
    return [q["sql"] for q in queries if not q["sql"].upper().startswith(control)]


@pytest.mark.django_db
def test_the_same_nonce_twice_gives_the_same_answer_and_one_check_in():
    ticket = sold_ticket()
    nonce = uuid.uuid4().hex
    organisation_id = ticket.event.organisation_id
    with CaptureQueriesContext(connection) as queries:
        first = scanning.redeem(
            code=ticket.secret, direction="entry", organisation_id=organisation_id, nonce=nonce
        )
    statements = data_statements(queries)
    # PostgreSQL: lock, decision, update and scan row in one statement; elsewhere three in a transaction.
    assert len(statements) == (1 if connection.vendor == "postgresql" else 3), statements
    second = scan(ticket, nonce=nonce)
    assert first.result == second.result == "admitted", "a retried request is never a false RED"
    assert Scan.objects.count() == 1
    assert scan(ticket, nonce=uuid.uuid4().hex).result == "already_inside"


@pytest.mark.django_db
def test_undo_an_admission():
    ticket = sold_ticket()
    door = make_user("dora", Role.DOOR_STAFF)
    Membership.objects.create(organisation=ticket.event.organisation, user=door, role="door_staff")
    outcome = scan(ticket, user=door)
    scanning.undo_admission(actor=door, scan_id=outcome.scan_id)
    ticket.refresh_from_db()
    assert ticket.presence == Presence.ABSENT and ticket.first_entry_at is None
    assert AuditEntry.objects.filter(action="scan.undone", actor=door).exists()
    assert scan(ticket).result == "admitted"


@pytest.mark.django_db
def test_staff_of_another_organisation_cannot_undo_or_change_presence():
    from django.core.exceptions import PermissionDenied

    ticket = sold_ticket()
    outsider = seller_admin(OrganisationFactory(), username="outsider")
    outcome = scan(ticket)
    with pytest.raises(PermissionDenied):
        scanning.undo_admission(actor=outsider, scan_id=outcome.scan_id)
    with pytest.raises(PermissionDenied):
        scanning.set_presence(actor=outsider, ticket=ticket, presence="out")
    assert Ticket.objects.get().presence == Presence.INSIDE


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_four_simultaneous_entries_of_one_ticket_admit_exactly_once():
    with transaction.atomic():
        ticket = sold_ticket()
    results = run_concurrently(lambda: scan(ticket, nonce=uuid.uuid4().hex).result, 4)
    assert sorted(results) == ["admitted", "already_inside", "already_inside", "already_inside"]
    assert Scan.objects.filter(result="admitted").count() == 1


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_nonce_from_two_threads_at_once_gives_one_answer():
    with transaction.atomic():
        ticket = sold_ticket()
    nonce = uuid.uuid4().hex
    results = run_concurrently(lambda: scan(ticket, nonce=nonce).result, 4)
    assert results == ["admitted"] * 4
    assert Scan.objects.count() == 1


# --- the scan API ------------------------------------------------------------------------------------


@pytest.fixture
def device(db):
    ticket = sold_ticket()
    admin = seller_admin(ticket.event.organisation)
    device, raw = scanning.create_device(
        actor=admin, organisation=ticket.event.organisation, name="Gate A phone"
    )
    return ticket, device, raw, admin


def post_scan(client, raw, **body):
    return client.post(API, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_api_scan_entry_exit_and_reentry(client, device):
    ticket, _, raw, _ = device
    first = post_scan(client, raw, secret=f"https://x/t/{ticket.secret}/", gate="A").json()
    assert first["result"] == "admitted"
    assert first["ticket"] == {
        "number": ticket.number,
        "first_name": "Alice",
        "last_name": "Durand",
        "category": ticket.category.name,
        "event_id": ticket.event_id,
        "event": ticket.event.title,
    }
    again = post_scan(client, raw, secret=ticket.secret).json()
    assert again["result"] == "already_inside" and again["first_scan_at"] == first["first_scan_at"]
    assert post_scan(client, raw, secret=ticket.secret, direction="exit").json()["result"] == "exited"
    assert post_scan(client, raw, secret=ticket.secret, direction="exit").json()["result"] == "not_inside"
    assert post_scan(client, raw, secret=ticket.secret).json()["result"] == "admitted"


def test_api_refuses_bad_tokens_and_bodies(client, device):
    ticket, device_row, raw, admin = device
    assert post_scan(client, "gsd_wrong", secret=ticket.secret).status_code == 401
    assert client.post(API, {"secret": ticket.secret}, content_type="application/json").status_code == 401
    assert post_scan(client, raw, secret=ticket.secret, direction="sideways").status_code == 400
    assert post_scan(client, raw).status_code == 400
    assert (
        client.post(
            API, "{not json", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
        ).status_code
        == 400
    )
    assert Scan.objects.count() == 0, "malformed requests change nothing"

    scanning.revoke_device(actor=admin, device=device_row)
    assert post_scan(client, raw, secret=ticket.secret).status_code == 401
    assert Ticket.objects.get().presence == Presence.ABSENT


def test_api_token_only_scans_its_own_organisation(client, device):
    _, _, raw, _ = device
    foreign = sold_ticket(CategoryFactory())
    response = post_scan(client, raw, secret=foreign.secret).json()
    assert response == {"result": "wrong_event", "ticket": None, "first_scan_at": None, "first_gate": ""}
    assert Ticket.objects.get(pk=foreign.pk).presence == Presence.ABSENT


def test_api_slows_down_a_device_reading_garbage_and_guessed_tokens(client, device):
    _, _, raw, _ = device
    statuses = [post_scan(client, raw, secret=f"garbage-{i}").status_code for i in range(31)]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429
    statuses = [post_scan(client, f"gsd_guess{i}", secret="x").status_code for i in range(21)]
    assert statuses[:20] == [401] * 20 and statuses[20] == 429


def test_api_treats_a_ticket_number_as_an_unknown_code_and_counts_it(client, device):
    ticket, _, raw, _ = device
    answers = [post_scan(client, raw, secret=ticket.number) for _ in range(31)]
    assert [a.json()["result"] for a in answers[:30]] == ["unknown"] * 30
    assert answers[30].status_code == 429, "typed numbers count toward the unknown-code limit"
    assert Ticket.objects.get().presence == Presence.ABSENT


@pytest.mark.django_db
def test_no_index_covers_what_a_scan_changes_so_postgresql_updates_the_ticket_in_place():
    """A scan sets these columns only: with none of them indexed (and room left in the page, migration 0014),
    PostgreSQL writes the new row version beside the old one and touches none of the table's indexes."""
    changed = {"presence", "presence_changed_at", "first_entry_at", "first_entry_gate"}
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Ticket._meta.db_table)
    indexed = {column for constraint in constraints.values() for column in constraint["columns"] or ()}
    assert indexed and not indexed & changed
