from io import StringIO

import pytest
from django.core.management import call_command

from hub import tokens
from hub.models import ApiToken
from ticketing.services import orders

from .factories import CategoryFactory, EventFactory, OrganisationFactory, seller_admin


@pytest.mark.django_db
def test_published_events_are_public_in_the_asked_language(client):
    category = CategoryFactory(quota=10)
    EventFactory(status="draft", organisation=category.event.organisation)
    orders.place_order(
        event_id=category.event_id,
        buyer_email="a@b.fr",
        language="fr",
        seats=[orders.Seat(category.pk, "A", "B")],
    )
    data = client.get("/api/v1/events/?lang=de").json()
    assert data["count"] == 1
    (event,) = data["items"]
    assert event["title"] == category.event.title_de
    assert event["on_sale"] is True
    assert event["categories"] == [
        {"id": category.pk, "name": "Freie Platzwahl", "price": "25.00", "vat_rate": "0.0550", "available": 9}
    ]
    assert event["url"].endswith(f"/o/{category.event.organisation.slug}/{category.event.slug}/")
    assert client.get(f"/api/v1/events/{category.event_id}/").json()["title"] == category.event.title_fr


@pytest.mark.django_db
def test_orders_need_a_token_and_stay_within_the_organisation(client):
    mine = CategoryFactory()
    theirs = CategoryFactory()
    seller = seller_admin(mine.event.organisation)
    for category in (mine, theirs):
        orders.place_order(
            event_id=category.event_id,
            buyer_email="a@b.fr",
            language="fr",
            seats=[orders.Seat(category.pk, "A", "B")],
        )
    _, raw = tokens.create_token(actor=seller, user=seller, name="test")

    assert client.get("/api/v1/orders/").status_code == 401
    assert client.get("/api/v1/orders/", HTTP_AUTHORIZATION="Bearer gt_wrong").status_code == 401
    data = client.get("/api/v1/orders/", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert data["count"] == 1 and data["items"][0]["event_id"] == mine.event_id
    theirs_ref = theirs.event.orders.get().reference
    assert client.get(f"/api/v1/orders/{theirs_ref}/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 404
    mine_ref = mine.event.orders.get().reference
    detail = client.get(f"/api/v1/orders/{mine_ref}/", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert detail["tickets"][0]["number"] == f"{mine_ref}-1"
    assert (
        client.get(
            f"/api/v1/tickets/?event_id={theirs.event_id}", HTTP_AUTHORIZATION=f"Bearer {raw}"
        ).status_code
        == 404
    )

    tokens.revoke_token(actor=seller, token=ApiToken.objects.get())
    assert client.get("/api/v1/orders/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


@pytest.mark.django_db
def test_create_api_token_prints_a_working_token(client):
    seller = seller_admin(OrganisationFactory())
    out = StringIO()
    call_command("create_api_token", seller.username, stdout=out)
    raw = out.getvalue().strip()
    assert raw.startswith("gt_") and len(raw) > 40
    assert ApiToken.objects.get().digest != raw, "only a digest is stored"
    assert client.get("/api/v1/orders/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def test_openapi_schema_is_served(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/v1/events/" in schema["paths"] and "/api/v1/orders/" in schema["paths"]


@pytest.mark.django_db
def test_out_of_range_paging_ids_and_enumerations_are_client_errors(client):
    """These answered 500 (an OFFSET or id the database cannot hold) or were ignored before the contract."""
    seller = seller_admin(OrganisationFactory())
    _, raw = tokens.create_token(actor=seller, user=seller, name="test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    for url in (
        "/api/v1/events/?page=55985969549554368",
        "/api/v1/events/?lang=xx",
        f"/api/v1/events/{2**70}/",
        "/api/v1/orders/?event_id=-35373230854795681792",
        "/api/v1/orders/?status=investigating",
        f"/api/v1/tickets/?event_id=1&page={10**12}",
    ):
        response = client.get(url, **auth)
        assert response.status_code == 400, url
        assert "detail" in response.json()


def test_every_operation_declares_its_error_answers(client):
    schema = client.get("/api/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert codes & {"400", "401", "404"}, f"{method.upper()} {path} declares no error answer"
            if operation.get("security"):
                assert "401" in codes, f"{method.upper()} {path} needs a token but does not declare 401"


@pytest.mark.django_db
def test_a_value_the_database_cannot_store_is_a_client_error(client, operator):
    """PostgreSQL refuses NUL characters in text: schemathesis found a 500 there."""
    _, raw = tokens.create_token(actor=operator, user=operator, name="test")
    response = client.post(
        "/api/v1/status/incidents/",
        {"name": "X", "body": "Y", "components": {"a\x00b": "operational"}},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 400
