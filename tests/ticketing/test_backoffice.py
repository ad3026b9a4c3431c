"""The seller back office through its pages: forms, object-level access, the flows a seller uses."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from hub.models import AuditEntry
from ticketing.models import Category, Event, Order, Refund
from ticketing.services import orders

from .factories import CategoryFactory, EventFactory, OrganisationFactory, pay, seller_admin

EVENT = {
    "title_fr": "Festival d'été",
    "title_de": "",
    "title_en": "Summer Festival",
    "description_fr": "Trois jours.",
    "description_de": "",
    "description_en": "",
    "venue": "Parc",
    "venue_address": "Genève",
    "time_zone": "Europe/Zurich",
    "starts_at": "2027-07-01T18:00",
    "ends_at": "2027-07-01T23:30",
    "sales_start": "2026-11-01T09:00",
    "sales_end": "2027-07-01T18:00",
    "capacity": "500",
}


@pytest.fixture
def seller_client(client, db):
    organisation = OrganisationFactory()
    client.force_login(seller_admin(organisation))
    client.organisation = organisation
    return client


def test_create_an_event_in_its_own_time_zone_then_a_category_then_publish(seller_client):
    response = seller_client.post("/fr/backoffice/events/new/", EVENT)
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/fr/backoffice/events/{event.pk}/"
    assert event.starts_at == datetime(2027, 7, 1, 18, 0, tzinfo=ZoneInfo("Europe/Zurich"))
    assert event.status == "draft" and event.slug == "festival-dete"

    response = seller_client.post(f"/fr/backoffice/events/{event.pk}/publish/", follow=True)
    assert "au moins une catégorie" in response.content.decode()

    response = seller_client.post(
        f"/fr/backoffice/events/{event.pk}/categories/new/",
        {"name_fr": "Pass 3 jours", "price": "1.00", "vat_percent": "8.1", "quota": "100"},
    )
    assert "commission" in response.content.decode() and not Category.objects.exists()
    seller_client.post(
        f"/fr/backoffice/events/{event.pk}/categories/new/",
        {"name_fr": "Pass 3 jours", "price": "89.00", "vat_percent": "8.1", "quota": "400"},
    )
    category = Category.objects.get()
    assert category.vat_rate == Decimal("0.0810")
    seller_client.post(
        f"/fr/backoffice/events/{event.pk}/categories/{category.pk}/",
        {"name_fr": "Pass 3 jours", "price": "89.00", "vat_percent": "8.1", "quota": "300"},
    )
    assert Category.objects.get().quota == 300

    seller_client.post(f"/fr/backoffice/events/{event.pk}/publish/")
    event.refresh_from_db()
    assert event.status == "published"
    assert seller_client.get(f"/fr/o/{event.organisation.slug}/{event.slug}/").status_code == 200
    assert [e.action for e in AuditEntry.objects.filter(target_id=str(event.pk)).order_by("id")] == [
        "event.created",
        "category.created",
        "category.updated",
        "event.published",
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [("ends_at", "2027-07-01T17:00"), ("sales_end", "2027-07-02T10:00"), ("capacity", "0"), ("title_fr", "")],
)
def test_bad_event_input_is_explained_and_changes_nothing(seller_client, field, value):
    data = {**EVENT, field: value}
    if field == "title_fr":
        data["title_en"] = ""
    response = seller_client.post("/fr/backoffice/events/new/", data)
    assert response.status_code == 200 and response.context["form"].errors
    assert not Event.objects.exists()


def test_sellers_only_see_their_own_events_and_orders(seller_client):
    other = CategoryFactory()
    order = orders.place_order(
        event_id=other.event_id, buyer_email="a@b.fr", language="fr", seats=[orders.Seat(other.pk, "A", "B")]
    )
    for url in (
        f"/fr/backoffice/events/{other.event_id}/",
        f"/fr/backoffice/events/{other.event_id}/orders/",
        f"/fr/backoffice/events/{other.event_id}/edit/",
        f"/fr/backoffice/orders/{order.reference}/",
    ):
        assert seller_client.get(url).status_code == 403, url
    assert (
        seller_client.post(f"/fr/backoffice/orders/{order.reference}/refund/", {"reason": "x"}).status_code
        == 403
    )
    assert seller_client.post(f"/fr/backoffice/events/{other.event_id}/publish/").status_code == 403


def test_dashboard_shows_sales_and_orders_can_be_searched(seller_client):
    category = CategoryFactory(event__organisation=seller_client.organisation, price=Decimal("50.00"))
    order = orders.place_order(
        event_id=category.event_id,
        buyer_email="zoe@example.org",
        language="fr",
        seats=[orders.Seat(category.pk, "Zoé", "Martin")] * 2,
    )
    orders.confirm_paid(order, timezone.now())
    html = seller_client.get(f"/fr/backoffice/events/{category.event_id}/").content.decode()
    assert "100,00\xa0€" in html and "2,72\xa0€" in html and "97,28\xa0€" in html
    found = seller_client.get(
        f"/fr/backoffice/events/{category.event_id}/orders/?q=martin", HTTP_HX_REQUEST="true"
    )
    assert order.reference in found.content.decode()
    nothing = seller_client.get(f"/fr/backoffice/events/{category.event_id}/orders/?q=nobody")
    assert order.reference not in nothing.content.decode()


def test_refund_from_the_order_page(seller_client):
    category = CategoryFactory(event__organisation=seller_client.organisation)
    order = orders.place_order(
        event_id=category.event_id,
        buyer_email="zoe@example.org",
        language="fr",
        seats=[orders.Seat(category.pk, "Zoé", "Martin")],
    )
    pay(seller_client, order)
    response = seller_client.post(f"/fr/backoffice/orders/{order.reference}/refund/", {"reason": "Illness"})
    assert response.status_code == 302
    assert Order.objects.get().status == "refunded"
    assert Refund.objects.get().reason == "Illness"
    page = seller_client.get(f"/en/backoffice/orders/{order.reference}/").content.decode()
    assert '<dt>Reason</dt><dd class="refund-reason">Illness</dd>' in page, "kept on the order"


def test_cancelling_an_event_refunds_every_paid_order(seller_client, django_capture_on_commit_callbacks):
    category = CategoryFactory(event__organisation=seller_client.organisation)
    for email in ("a@example.org", "b@example.org"):
        order = orders.place_order(
            event_id=category.event_id,
            buyer_email=email,
            language="fr",
            seats=[orders.Seat(category.pk, "A", "B")],
        )
        pay(seller_client, order)
    with django_capture_on_commit_callbacks(execute=True):
        seller_client.post(f"/fr/backoffice/events/{category.event_id}/cancel/", {"reason": "Storm warning"})
    assert Event.objects.get().status == "cancelled"
    assert set(Order.objects.values_list("status", flat=True)) == {"refunded"}
    assert Refund.objects.count() == 2
    assert (
        seller_client.get(f"/fr/o/{category.event.organisation.slug}/{category.event.slug}/").status_code
        == 200
    )


@pytest.mark.django_db
def test_door_staff_cannot_manage_events(client):
    from hub.models import Role
    from ticketing.models import Membership

    from ..helpers import make_user

    event = EventFactory()
    door = make_user("dora", Role.DOOR_STAFF)
    Membership.objects.create(organisation=event.organisation, user=door, role="door_staff")
    client.force_login(door)
    assert client.get("/fr/backoffice/events/").status_code == 403
    assert client.get(f"/fr/backoffice/events/{event.pk}/").status_code == 403


def test_the_qr_poster_sends_visitors_to_the_events_sale_page(seller_client, settings, client):
    import base64
    import io
    import re

    import zxingcpp
    from PIL import Image

    from tests.helpers import make_user

    settings.SITE_URL = "https://tickets.example"
    event = EventFactory(organisation=seller_client.organisation, status="published")
    response = seller_client.get(f"/fr/backoffice/events/{event.pk}/poster/")
    html = response.content.decode()
    assert response.status_code == 200 and "Affiche QR" in html
    image = base64.b64decode(re.search(r'src="data:image/png;base64,([^"]+)"', html).group(1))
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(image)))[0].text
    assert decoded == f"https://tickets.example/fr/o/{event.organisation.slug}/{event.slug}/"
    assert seller_client.get(decoded.removeprefix("https://tickets.example")).status_code == 200

    other = OrganisationFactory()
    client.force_login(seller_admin(other, username="other"))
    assert client.get(f"/fr/backoffice/events/{event.pk}/poster/").status_code == 403
    client.force_login(make_user("door", "door_staff"))
    assert client.get(f"/fr/backoffice/events/{event.pk}/poster/").status_code == 403
