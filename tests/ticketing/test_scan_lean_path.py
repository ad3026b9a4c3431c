"""The scan API's lean path: the same answer and headers as through the full stack, for less."""

import uuid
from datetime import UTC, datetime

import pytest
from django.db import connection

from hub.api import api  # first: it loads ticketing.api's router
from ticketing.api import ScanOut, scan_answer, scan_response
from ticketing.models import Scan
from ticketing.services import scanning

from ..helpers import requires_postgres
from .factories import seller_admin
from .test_scanning import API, post_scan, scan, sold_ticket


@pytest.fixture
def device(db):
    ticket = sold_ticket()
    admin = seller_admin(ticket.event.organisation)
    _, raw = scanning.create_device(actor=admin, organisation=ticket.event.organisation, name="Gate A")
    return ticket, raw


def test_the_answer_is_what_django_ninja_renders_for_the_schema(device):
    ticket, _ = device
    at = datetime(2026, 7, 14, 20, 5, 7, 123456, tzinfo=UTC)
    outcomes = [
        scanning.Outcome("already_inside", ticket, at, "North"),
        scanning.Outcome("admitted", ticket, at),
        scanning.Outcome("unknown"),
        scanning.Outcome("wrong_event"),
    ]
    for outcome in outcomes:
        response = scan_response(outcome)
        schema = ScanOut.model_validate(scan_answer(outcome)).model_dump()  # what django-ninja would send
        assert response.content.decode() == api.renderer.render(None, schema, response_status=200)
        assert response["Content-Type"] == "application/json; charset=utf-8"
    assert b'"first_scan_at": "2026-07-14T20:05:07.123Z"' in scan_response(outcomes[0]).content


def test_the_lean_path_keeps_the_headers_language_and_host_check(client, device, settings):
    ticket, raw = device
    response = client.post(
        API,
        {"secret": ticket.secret, "nonce": uuid.uuid4().hex},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 200
    assert response.json()["ticket"]["event"] == ticket.event.title_de
    assert response["Content-Language"] == "de" and "Accept-Language" in response["Vary"]
    assert response["Content-Length"] == str(len(response.content))
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert not response.cookies, "no session, no CSRF cookie"

    settings.ALLOWED_HOSTS = ["guichet.example.org"]
    assert post_scan(client, raw, secret=ticket.secret).status_code == 400
    assert Scan.objects.count() == 1, "a request for another host changes nothing"


@requires_postgres
@pytest.mark.django_db
def test_postgresql_plans_the_scan_once_per_connection():
    for _ in range(3):
        scan(sold_ticket(), nonce=uuid.uuid4().hex)
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        prepared = [row[0] for row in cursor.fetchall()]
    assert len([sql for sql in prepared if "INSERT INTO" in sql and "ticketing_scan" in sql]) == 1
