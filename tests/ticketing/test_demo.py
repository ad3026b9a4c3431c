from io import StringIO

import pytest
from django.core.management import call_command

from ticketing.models import Event, Organisation, Settlement, Ticket


@pytest.mark.django_db
def test_demo_data_has_the_ticketing_story_and_loads_twice():
    call_command("demo_data", stdout=StringIO())
    call_command("demo_data", stdout=StringIO())
    theatre = Organisation.objects.get(slug="theatre-du-marche")
    assert theatre.status == "active"
    upcoming = Event.objects.get(slug="nuit-du-jazz")
    assert upcoming.categories.count() == 2
    assert Ticket.objects.filter(event=upcoming, status="valid").count() == 200
    past = Settlement.objects.get(event__slug="concert-d-automne")
    assert past.status == "computed" and past.net_payout > 0
    assert Organisation.objects.get(slug="festival-des-lumieres").status == "pending_verification"
    assert theatre.memberships.filter(user__username="seller", role="seller_admin").exists()


@pytest.mark.django_db
def test_a_demo_order_can_be_refunded_from_the_back_office(client):
    """The demo orders were paid at the demo bank, so the refund button works on them."""
    from hub.models import User
    from ticketing.models import Order

    call_command("demo_data", stdout=StringIO())
    order = Order.objects.filter(event__slug="nuit-du-jazz", status="paid", total__gt=0).first()
    client.force_login(User.objects.get(username="seller"))
    response = client.post(
        f"/fr/backoffice/orders/{order.reference}/refund/", {"reason": "Annulation"}, follow=True
    )
    assert response.status_code == 200 and "Annulation" in response.content.decode(), "the reason is shown"
    order.refresh_from_db()
    assert order.status == "refunded" and order.refunded_amount == order.total
    assert set(order.tickets.values_list("status", flat=True)) == {"refunded"}


@pytest.mark.django_db
def test_an_order_without_a_recorded_payment_is_refused_clearly(client):
    from hub.models import User
    from ticketing.models import Order, Payment

    call_command("demo_data", stdout=StringIO())
    order = Order.objects.filter(event__slug="nuit-du-jazz", status="paid", total__gt=0).first()
    Payment.objects.filter(order=order).delete()
    client.force_login(User.objects.get(username="seller"))
    response = client.post(
        f"/fr/backoffice/orders/{order.reference}/refund/", {"reason": "Annulation"}, follow=True
    )
    assert response.status_code == 200 and "Aucun paiement" in response.content.decode()
    order.refresh_from_db()
    assert order.status == "paid"
