import pytest

from hub.celery import app as celery_app
from hub.models import Role

from ..helpers import free_port, make_user


def test_live_answers_without_touching_the_database(client):
    response = client.get("/healthz/live")  # no django_db mark: any query would fail this test
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_ready_checks_database_cache_and_broker(client):
    response = client.get("/healthz/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "broker": "ok"}}


@pytest.mark.django_db
def test_ready_fails_with_details_when_the_broker_is_unreachable(client, monkeypatch):
    monkeypatch.setitem(celery_app.conf, "broker_url", f"redis://127.0.0.1:{free_port()}/0")
    monkeypatch.setitem(celery_app.conf, "broker_transport_options", {})
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("error:")


@pytest.mark.django_db
def test_ready_fails_when_the_cache_is_unreachable(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"].startswith("error:")


@pytest.fixture
def broken_broker(monkeypatch):
    monkeypatch.setitem(celery_app.conf, "broker_url", f"redis://127.0.0.1:{free_port()}/0")
    monkeypatch.setitem(celery_app.conf, "broker_transport_options", {})


REMOTE = {"REMOTE_ADDR": "203.0.113.9"}


@pytest.mark.django_db
def test_ready_tells_others_only_the_status(client):
    response = client.get("/healthz/ready", **REMOTE)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_ready_hides_what_failed_and_why_from_others(client, broken_broker):
    for headers in (REMOTE, {**REMOTE, "HTTP_X_FORWARDED_FOR": "127.0.0.1"}):
        response = client.get("/healthz/ready", **headers)
        assert response.status_code == 503
        assert response.json() == {"status": "error"}


@pytest.mark.django_db
def test_ready_hides_details_from_signed_in_staff_who_are_not_operators(client, broken_broker):
    client.force_login(make_user("dora", Role.DOOR_STAFF))
    assert client.get("/healthz/ready", **REMOTE).json() == {"status": "error"}


@pytest.mark.django_db
def test_ready_shows_details_to_a_signed_in_operator_anywhere(operator_client, broken_broker):
    response = operator_client.get("/healthz/ready", **REMOTE)
    assert response.status_code == 503
    assert response.json()["checks"]["broker"].startswith("error:")


@pytest.mark.django_db
def test_behind_a_proxy_only_the_address_it_saw_counts(client, settings, broken_broker):
    settings.NUM_PROXIES = 1  # the proxy runs on the same host: every request it forwards comes from loopback
    spoofed = client.get("/healthz/ready", HTTP_X_FORWARDED_FOR="127.0.0.1, 203.0.113.9")
    assert spoofed.json() == {"status": "error"}
    # The container's own health check reaches gunicorn directly, without the proxy's header.
    direct = client.get("/healthz/ready")
    assert direct.status_code == 503
    assert direct.json()["checks"]["broker"].startswith("error:")
