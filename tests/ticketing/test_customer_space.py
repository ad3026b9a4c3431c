import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from hub.models import OutboundMessage
from ticketing.services import orders

from .factories import CategoryFactory


def buy(category, email, count=1):
    order = orders.place_order(
        event_id=category.event_id,
        buyer_email=email,
        language="fr",
        seats=[orders.Seat(category.pk, f"P{i}", "Durand") for i in range(count)],
    )
    orders.confirm_paid(order, timezone.now())
    return order


def request_link(client, email, ip="10.0.0.1"):
    return client.post("/fr/my-tickets/", {"email": email}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_the_answer_does_not_tell_whether_an_address_bought_anything(client):
    buy(CategoryFactory(), "known@example.org")
    known = request_link(client, "known@example.org", ip="10.0.0.1")
    unknown = request_link(client, "unknown@example.org", ip="10.0.0.2")
    assert known.status_code == unknown.status_code == 200

    def page(response):  # the same page but for the address typed in and the per-response CSRF token
        html = response.content.decode().replace("unknown@example.org", "X").replace("known@example.org", "X")
        return re.sub(r'(csrf-token" content|csrfmiddlewaretoken" value)="[^"]+"', "", html)

    assert page(known) == page(unknown)
    assert OutboundMessage.objects.filter(idempotency_key__startswith="customer-link:").count() == 1
    assert not OutboundMessage.objects.filter(recipient="unknown@example.org").exists()


@pytest.mark.django_db
def test_the_link_opens_every_order_across_organisers(client):
    first = buy(CategoryFactory(), "Buyer@Example.org", count=2)
    second = buy(CategoryFactory(), "buyer@example.org")
    buy(CategoryFactory(), "someone-else@example.org")
    request_link(client, "BUYER@example.org")
    message = OutboundMessage.objects.get(idempotency_key__startswith="customer-link:")
    path = re.search(r"http://[^/]+(/fr/my-tickets/sign-in/\S+/)", message.body).group(1)

    html = client.get(path, follow=True).content.decode()
    for order in (first, second):
        assert order.reference in html
        for ticket in order.tickets.all():
            assert f"/t/{ticket.secret}/" in html
    assert "someone-else" not in html

    client.post(f"/fr/my-tickets/{first.reference}/resend/")
    assert OutboundMessage.objects.filter(
        idempotency_key__startswith=f"order-tickets:{first.reference}:resend"
    ).exists()


@pytest.mark.django_db
def test_links_expire_and_cannot_be_forged(client):
    buy(CategoryFactory(), "buyer@example.org")
    request_link(client, "buyer@example.org")
    body = OutboundMessage.objects.get(idempotency_key__startswith="customer-link:").body
    path = re.search(r"http://[^/]+(/fr/my-tickets/sign-in/\S+/)", body).group(1)
    assert (
        "buyer@example.org"
        not in client.get(client.get(path.replace("sign-in/", "sign-in/x")).url).content.decode()
    )
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        response = client.get(path, follow=True)
    assert "expiré" in response.content.decode()


@pytest.mark.django_db
def test_link_requests_are_rate_limited(client):
    for _ in range(3):
        request_link(client, "buyer@example.org")
    response = request_link(client, "buyer@example.org")
    assert "Trop de demandes" in response.content.decode()


@pytest.mark.django_db
def test_one_cannot_resend_someone_elses_order(client):
    mine = buy(CategoryFactory(), "me@example.org")
    theirs = buy(CategoryFactory(), "them@example.org")
    session = client.session
    session["customer_email"] = "me@example.org"
    session.save()
    assert client.post(f"/fr/my-tickets/{theirs.reference}/resend/").status_code == 404
    assert client.post(f"/fr/my-tickets/{mine.reference}/resend/").status_code == 302


@pytest.mark.django_db
def test_ticket_page_and_qr(client):
    import io

    import zxingcpp
    from PIL import Image

    order = buy(CategoryFactory(), "me@example.org")
    ticket = order.tickets.get()
    html = client.get(f"/t/{ticket.secret}/").content.decode()
    assert ticket.number in html and "DURAND" in html
    png = client.get(f"/t/{ticket.secret}/qr.png").content
    (decoded,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert decoded.text == f"http://127.0.0.1:8000/t/{ticket.secret}/"
    assert client.get("/t/not-a-secret/").status_code == 404
