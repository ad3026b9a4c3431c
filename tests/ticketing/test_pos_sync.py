"""Box-office sync (P1): a station's sales, sold online or offline, arrive once each, share the online
inventory, and a sale that no longer fits is kept as a conflict; bad input changes nothing."""

import itertools
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import Client
from django.utils import timezone

from hub.audit import AuditEntry
from ticketing import selectors
from ticketing.models import CounterSale, Membership, Order, Scan, Ticket
from ticketing.services import counter, orders
from ticketing.services.scanning import extract_code, redeem

from ..helpers import requires_postgres, run_concurrently
from .factories import CategoryFactory, member, seller_admin, station_for

URL = "/api/v1/pos/sales/"
pytestmark = pytest.mark.django_db
_turns = itertools.count()


def threading_turn() -> bool:
    """Alternates between the threads of ``run_concurrently`` (``next`` on a counter is atomic)."""
    return next(_turns) % 2 == 0


@pytest.fixture
def category():
    return CategoryFactory(quota=10, event__capacity=12, price=Decimal("30.00"))


def sale(category, quantity=1, **changes):
    body = {
        "uuid": str(uuid.uuid4()),
        "event": category.event_id,
        "sold_at": (timezone.now() - timedelta(minutes=3)).isoformat(),
        "method": "cash",
        "cash_tendered": "50.00",
        "language": "en",
        "lines": [{"category": category.pk, "quantity": quantity}],
    }
    return {**body, **changes}


def post(raw, body, client=None):
    return (client or Client()).post(
        URL, body, content_type="application/json", headers={"authorization": f"Bearer {raw}"}
    )


def test_a_sale_syncs_as_a_paid_counter_order_and_a_replay_returns_the_same_tickets(category):
    _station, raw, _ = station_for(category.event.organisation)
    body = sale(category, 2, buyer_email="anna@example.org", buyer_name="Anna Muster")
    first = post(raw, body)
    assert first.status_code == 201, first.content
    sold = first.json()
    assert sold["status"] == "synced" and len(sold["tickets"]) == 2
    order = Order.objects.get(reference=sold["order"])
    assert order.channel == Order.Channel.COUNTER and order.status == Order.Status.PAID
    assert order.total == Decimal("60.00") and order.commission_excl_vat > 0  # the online commission rules
    assert order.created_at == CounterSale.objects.get().sold_at  # sold when the station says
    replay = post(raw, body)
    assert replay.status_code == 200 and replay.json() == sold
    assert Order.objects.count() == 1 and Ticket.objects.count() == 2
    outcome = redeem(
        code=extract_code(sold["tickets"][0]["secret"]),
        direction="entry",
        organisation_id=category.event.organisation_id,
        gate="",
    )
    assert outcome.result == "admitted"


def test_the_same_uuid_with_other_content_is_refused_and_nothing_is_overwritten(category):
    _station, raw, _ = station_for(category.event.organisation)
    body = sale(category, 1)
    assert post(raw, body).status_code == 201
    other = post(raw, {**body, "lines": [{"category": category.pk, "quantity": 3}]})
    assert other.status_code == 409 and other.json()["status"] == "mismatch"
    assert Ticket.objects.count() == 1 and CounterSale.objects.get().content["lines"][0]["quantity"] == 1


def test_a_sale_beyond_capacity_is_kept_as_a_conflict_and_a_manager_settles_it(category):
    station, raw, manager = station_for(category.event.organisation)
    assert post(raw, sale(category, 9)).status_code == 201
    over = post(raw, sale(category, 3))
    assert over.status_code == 409
    assert over.json()["status"] == "conflict" and "Only 1 seats left" in over.json()["reason"]
    kept = CounterSale.objects.get(status=CounterSale.Status.CONFLICT)
    assert kept.order is None and kept.content["lines"] == [{"category": category.pk, "quantity": 3}]
    assert AuditEntry.objects.filter(action="counter_sale.conflict").count() == 1
    assert (
        post(raw, {**kept.content, "sold_at": kept.content["sold_at"]}).status_code == 409
    )  # still kept once
    assert CounterSale.objects.count() == 2

    counter.settle_conflict(actor=manager, sale=kept, accept=True, note="three friends of the band")
    kept.refresh_from_db()
    assert kept.status == CounterSale.Status.ACCEPTED and kept.order.tickets.count() == 3
    assert Ticket.objects.filter(status=Ticket.Status.VALID).count() == 12  # over the quota of 10, on purpose


def test_a_refused_conflict_issues_no_ticket_and_only_a_manager_settles(category):
    station, raw, manager = station_for(category.event.organisation)
    post(raw, sale(category, 9))
    post(raw, sale(category, 2))
    kept = CounterSale.objects.get(status=CounterSale.Status.CONFLICT)
    with pytest.raises(PermissionDenied):
        counter.settle_conflict(
            actor=seller_admin(CategoryFactory().event.organisation, "other"), sale=kept, accept=True
        )
    counter.settle_conflict(actor=manager, sale=kept, accept=False, note="money given back")
    kept.refresh_from_db()
    assert kept.status == CounterSale.Status.REFUNDED and kept.order is None and Ticket.objects.count() == 9


@pytest.mark.parametrize(
    "change, said",
    [
        ({"lines": [{"category": 0, "quantity": 1}]}, "lines"),
        ("unknown category", "category does not exist"),
        ({"lines": [{"quantity": -1}]}, "lines"),
        ({"lines": []}, "lines"),
        ("zero quantity", "lines"),
        ({"uuid": "not-a-uuid"}, "uuid"),
        ({"sold_at": "2026-12-01T20:00:00"}, "sold_at"),
        ("future", "in the future"),
        ({"method": "bitcoin"}, "method"),
        ({"method": "card"}, "card terminal"),
        ({"method": "complimentary"}, "complimentary"),
        ({"buyer_email": "not an email"}, "buyer_email"),
        ("other organisation's event", "event does not exist"),
    ],
)
def test_bad_input_is_a_400_and_changes_nothing(category, change, said):
    _station, raw, _ = station_for(category.event.organisation)
    body = sale(category)
    if change == "unknown category":
        body["lines"] = [{"category": CategoryFactory().pk, "quantity": 1}]
    elif change == "zero quantity":
        body["lines"] = [{"category": category.pk, "quantity": 0}]
    elif change == "future":
        body["sold_at"] = (timezone.now() + timedelta(hours=1)).isoformat()
    elif change == "other organisation's event":
        body["event"] = CategoryFactory().event_id
    else:
        body.update(change)
    response = post(raw, body)
    assert response.status_code == 400, response.content
    assert said in response.content.decode()
    assert not CounterSale.objects.exists() and not Order.objects.exists()


def test_malformed_json_and_wrong_or_revoked_tokens_are_refused(category):
    station, raw, manager = station_for(category.event.organisation)
    response = Client().post(
        URL, "{not json", content_type="application/json", headers={"authorization": f"Bearer {raw}"}
    )
    assert response.status_code == 400
    assert post("gps_wrong", sale(category)).status_code == 401
    assert post("", sale(category)).status_code == 401
    counter.revoke_station(actor=manager, station=station)
    assert post(raw, sale(category)).status_code == 401
    assert not CounterSale.objects.exists() and not Order.objects.exists()


def test_complimentary_and_card_sales_record_what_was_paid(category):
    station, raw, manager = station_for(category.event.organisation)
    grant = counter.complimentary_grant(actor=manager, station=station)
    free = post(raw, sale(category, 2, method="complimentary", reason="press", authorised_by=grant)).json()
    card = post(raw, sale(category, 1, method="card", card_reference="TRM-8841")).json()
    assert Order.objects.get(reference=free["order"]).total == 0
    assert [t["price"] for t in free["tickets"]] == ["0.00", "0.00"]
    assert Order.objects.get(reference=card["order"]).total == Decimal("30.00")
    assert CounterSale.objects.get(order__reference=card["order"]).content["card_reference"] == "TRM-8841"


def test_only_a_managers_grant_for_this_station_gives_complimentary_tickets(category):
    organisation = category.event.organisation
    station, raw, manager = station_for(organisation)
    other, _raw, _ = station_for(organisation, "Caisse 2")
    with pytest.raises(PermissionDenied):  # box-office staff get no grant
        counter.complimentary_grant(actor=member(organisation), station=station)
    grant = counter.complimentary_grant(actor=manager, station=station)
    for refused in ("", grant + "x", counter.complimentary_grant(actor=manager, station=other)):
        answer = post(raw, sale(category, 1, method="complimentary", reason="press", authorised_by=refused))
        assert answer.status_code == 400 and "manager" in answer.content.decode()
    Membership.objects.filter(user=manager).delete()  # no longer a seller admin of the organisation
    answer = post(raw, sale(category, 1, method="complimentary", reason="press", authorised_by=grant))
    assert answer.status_code == 400
    assert not CounterSale.objects.exists() and not Order.objects.exists()


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_stations_syncing_the_same_200_sales_at_once_record_each_once():
    category = CategoryFactory(quota=500, event__capacity=500)
    organisation = category.event.organisation
    (_a, raw_a, _), (_b, raw_b, _) = station_for(organisation, "A"), station_for(organisation, "B")
    queue = [sale(category, 1 + n % 2) for n in range(200)]

    def sync(raw):
        client, statuses = Client(), []
        for body in queue:
            statuses.append(post(raw, body, client).status_code)
        return statuses

    first, second = run_concurrently(lambda: sync(raw_a if threading_turn() else raw_b), 2)
    assert sorted(first + second).count(201) == 200 and set(first + second) == {200, 201}
    assert CounterSale.objects.count() == 200 and Order.objects.count() == 200
    assert Ticket.objects.count() == sum(1 + n % 2 for n in range(200))


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_online_checkout_racing_the_counter_for_the_last_seats_never_oversells():
    category = CategoryFactory(quota=20, event__capacity=20)
    _station, raw, _ = station_for(category.event.organisation)
    with transaction.atomic():
        orders.place_order(
            event_id=category.event_id,
            buyer_email="early@example.org",
            language="fr",
            seats=[orders.Seat(category.pk, "A", "B")] * 10,
        )

    def online():
        try:
            orders.place_order(
                event_id=category.event_id,
                buyer_email="a@example.org",
                language="fr",
                seats=[orders.Seat(category.pk, "A", "B")],
            )
            return "online"
        except orders.CheckoutError:
            return "refused"

    def at_the_counter():
        return {201: "counter", 409: "conflict"}[post(raw, sale(category, 1)).status_code]

    results = run_concurrently(lambda: online() if threading_turn() else at_the_counter(), 20)
    taken = sum(selectors.seats_taken(category.event).values())
    assert taken == 20 and results.count("online") + results.count("counter") == 10
    assert CounterSale.objects.filter(status="conflict").count() == results.count("conflict")


def test_a_batch_gives_each_sale_its_own_outcome_and_a_bad_one_changes_nothing(category):
    _station, raw, _ = station_for(category.event.organisation)
    synced = sale(category, 2)
    post(raw, synced)
    fresh, bad, over = (
        sale(category, 7),
        sale(category, lines=[{"category": 999_999, "quantity": 1}]),
        sale(category, 5),
    )
    queue = [synced, fresh, bad, fresh, {**synced, "buyer_name": "someone else"}, over]
    response = Client().post(
        URL + "batch/",
        {"sales": queue},
        content_type="application/json",
        headers={"authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [r["code"] for r in results] == [200, 201, 400, 200, 409, 409]
    assert [r["status"] for r in results] == ["synced", "synced", "refused", "synced", "mismatch", "conflict"]
    assert results[1]["tickets"] == results[3]["tickets"] and len(results[1]["tickets"]) == 7
    assert (
        "category does not exist" in results[2]["detail"][0] and "Only 1 seats left" in results[5]["reason"]
    )
    assert CounterSale.objects.count() == 3 and Ticket.objects.count() == 9
    assert not CounterSale.objects.filter(client_uuid=bad["uuid"]).exists()


def call(raw, method, path, body=None):
    client = Client()
    headers = {"authorization": f"Bearer {raw}", "accept-language": "en"}
    if method == "get":
        return client.get(URL.replace("sales/", path), headers=headers)
    return client.post(URL.replace("sales/", path), body, content_type="application/json", headers=headers)


def test_an_allotment_holds_seats_that_offline_sales_print_and_sync_without_overselling(category):
    _station, raw, _ = station_for(category.event.organisation)
    held = call(
        raw, "post", "allotments/", {"event": category.event_id, "category": category.pk, "quantity": 4}
    )
    assert held.status_code == 201, held.content
    secrets_held = [ticket["secret"] for ticket in held.json()["tickets"]]
    assert selectors.availability(category.event)[category.pk] == 6  # online sales cannot take them
    with transaction.atomic():  # online sells everything else
        orders.place_order(
            event_id=category.event_id,
            buyer_email="a@example.org",
            language="fr",
            seats=[orders.Seat(category.pk, "A", "B")] * 6,
        )
    offline = sale(category, 3, tickets=secrets_held[:3])
    synced = post(raw, offline)
    assert synced.status_code == 201, synced.content
    assert sorted(t["secret"] for t in synced.json()["tickets"]) == sorted(secrets_held[:3])  # printed codes
    assert post(raw, offline).json() == synced.json()
    outcome = redeem(
        code=secrets_held[0], direction="entry", organisation_id=category.event.organisation_id, gate=""
    )
    assert outcome.result == "admitted"
    assert call(raw, "get", "allotments/").json() == [
        {"event": category.event_id, "category": category.pk, "left": 1}
    ]
    assert sum(selectors.seats_taken(category.event).values()) == 10  # 6 online, 3 sold offline, 1 still held
    released = call(raw, "post", "allotments/release/", {"event": category.event_id})
    assert released.json() == {"released": 1} and selectors.availability(category.event)[category.pk] == 1


def test_an_allotment_is_refused_beyond_capacity_and_another_stations_tickets_cannot_be_sold(category):
    organisation = category.event.organisation
    (_a, raw_a, _), (_b, raw_b, _) = station_for(organisation, "A"), station_for(organisation, "B")
    refused = call(
        raw_a, "post", "allotments/", {"event": category.event_id, "category": category.pk, "quantity": 11}
    )
    assert refused.status_code == 400 and "Only 10 seats left" in refused.content.decode()
    held = call(
        raw_a, "post", "allotments/", {"event": category.event_id, "category": category.pk, "quantity": 2}
    )
    secrets_held = [ticket["secret"] for ticket in held.json()["tickets"]]
    stolen = post(raw_b, sale(category, 2, tickets=secrets_held))
    assert stolen.status_code == 400 and "allotment" in stolen.content.decode()
    mismatched = post(raw_a, sale(category, 1, tickets=secrets_held))
    assert mismatched.status_code == 400
    assert not CounterSale.objects.exists()


def test_an_offline_sale_of_a_released_allotment_keeps_its_printed_codes_when_there_is_room(category):
    _station, raw, _ = station_for(category.event.organisation)
    held = call(
        raw, "post", "allotments/", {"event": category.event_id, "category": category.pk, "quantity": 2}
    )
    secrets_held = [ticket["secret"] for ticket in held.json()["tickets"]]
    call(raw, "post", "allotments/release/", {"event": category.event_id})  # closed before the queue synced
    synced = post(raw, sale(category, 2, tickets=secrets_held))
    assert synced.status_code == 201 and sorted(t["secret"] for t in synced.json()["tickets"]) == sorted(
        secrets_held
    )
    assert Ticket.objects.filter(secret__in=secrets_held, status=Ticket.Status.VALID).count() == 2


def test_an_accepted_conflict_keeps_the_codes_it_printed_offline(category):
    _station, raw, manager = station_for(category.event.organisation)
    held = call(
        raw, "post", "allotments/", {"event": category.event_id, "category": category.pk, "quantity": 2}
    )
    secrets_held = [ticket["secret"] for ticket in held.json()["tickets"]]
    call(raw, "post", "allotments/release/", {"event": category.event_id})
    with transaction.atomic():  # online sells every seat meanwhile
        orders.place_order(
            event_id=category.event_id,
            buyer_email="a@example.org",
            language="fr",
            seats=[orders.Seat(category.pk, "A", "B")] * 10,
        )
    assert post(raw, sale(category, 2, tickets=secrets_held)).status_code == 409
    counter.settle_conflict(actor=manager, sale=CounterSale.objects.get(), accept=True, note="band's friends")
    assert sorted(CounterSale.objects.get().order.tickets.values_list("secret", flat=True)) == sorted(
        secrets_held
    )
    assert Ticket.objects.filter(secret__in=secrets_held, status=Ticket.Status.VALID).count() == 2


def test_topping_up_an_allotment_after_sales_numbers_its_new_tickets_after_the_sold_ones(category):
    _station, raw, _ = station_for(category.event.organisation)
    body = {"event": category.event_id, "category": category.pk, "quantity": 2}
    held = call(raw, "post", "allotments/", body).json()["tickets"]
    assert post(raw, sale(category, 1, tickets=[held[0]["secret"]])).status_code == 201
    more = call(raw, "post", "allotments/", body)
    assert more.status_code == 201, more.content
    numbers = [t["number"] for t in held + more.json()["tickets"]]
    assert len(set(numbers)) == 4 and numbers[-1].endswith("-4")


def test_an_unsold_allotment_goes_back_on_sale_when_the_event_ends(category):
    _station, raw, _ = station_for(category.event.organisation)
    call(raw, "post", "allotments/", {"event": category.event_id, "category": category.pk, "quantity": 3})
    assert orders.expire_orders() == 0  # held until the event ends
    assert orders.expire_orders(now=category.event.ends_at) == 1
    assert Ticket.objects.filter(status=Ticket.Status.VOID).count() == 3
    assert call(raw, "get", "allotments/").json() == []


def test_at_the_door_a_ticket_sold_offline_and_not_synced_says_so_and_staff_let_the_holder_in(category):
    station, raw, manager = station_for(category.event.organisation, "Caisse Nord")
    held = call(
        raw, "post", "allotments/", {"event": category.event_id, "category": category.pk, "quantity": 2}
    )
    secret = held.json()["tickets"][0]["secret"]
    organisation = category.event.organisation_id
    first = redeem(code=secret, direction="entry", organisation_id=organisation, gate="Nord")
    assert first.result == "offline" and first.station == "Caisse Nord" and not first.green
    client = Client()
    client.force_login(manager)
    page = client.post(f"/scans/{first.scan_id}/admit-offline/")
    assert page.status_code == 200 and 'data-result="admitted"' in page.content.decode()
    again = redeem(code=secret, direction="entry", organisation_id=organisation, gate="Nord")
    assert again.result == "already_inside"
    assert post(raw, sale(category, 1, tickets=[secret])).status_code == 201
    ticket = Ticket.objects.get(secret=secret)
    assert (
        ticket.status == Ticket.Status.VALID
        and ticket.presence == "inside"
        and ticket.first_entry_gate == "Nord"
    )
    assert redeem(code=secret, direction="exit", organisation_id=organisation, gate="Nord").result == "exited"


def test_the_offline_verdict_is_shown_and_only_door_staff_of_the_organisation_let_in(client, category):
    _station, raw, manager = station_for(category.event.organisation)
    held = call(
        raw, "post", "allotments/", {"event": category.event_id, "category": category.pk, "quantity": 1}
    )
    secret = held.json()["tickets"][0]["secret"]
    client.force_login(manager)
    page = client.post(f"/t/{secret}/scan/", {"direction": "entry"}, headers={"hx-request": "true"})
    html = page.content.decode()
    assert 'data-result="offline"' in html and "Caisse 1" in html and "admit-offline" in html
    outsider = seller_admin(CategoryFactory().event.organisation, "outsider")
    scan_id = Scan.objects.get(result="offline").pk
    other = Client()
    other.force_login(outsider)
    assert other.post(f"/scans/{scan_id}/admit-offline/").status_code == 403
    assert Ticket.objects.get(secret=secret).presence == "absent"
