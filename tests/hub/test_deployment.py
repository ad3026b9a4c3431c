"""What production refuses that a demo allows, and what it trusts from the network."""

import json
import re
import tomllib

import pytest
from django.core.management import CommandError, call_command
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from ruamel.yaml import YAML

from hub.ratelimit import client_ip

from .test_project import PRODUCTION, ROOT, manage


def test_check_deploy_fails_naming_payment_provider_when_it_is_not_set():
    result = manage("check", "--deploy", env=PRODUCTION)
    assert result.returncode != 0
    assert "PAYMENT_PROVIDER" in result.stderr


def test_check_deploy_refuses_the_demo_bank_outside_a_demo():
    result = manage("check", "--deploy", env={**PRODUCTION, "PAYMENT_PROVIDER": "demo"})
    assert result.returncode != 0
    assert "PAYMENT_PROVIDER" in result.stderr and "DEMO=1" in result.stderr


def test_check_deploy_refuses_an_unknown_payment_provider():
    result = manage("check", "--deploy", env={**PRODUCTION, "DEMO": "1", "PAYMENT_PROVIDER": "acme"})
    assert result.returncode != 0
    assert "PAYMENT_PROVIDER" in result.stderr and "acme" in result.stderr


def test_check_deploy_names_the_stripe_keys_stripe_needs():
    stripe = {**PRODUCTION, "PAYMENT_PROVIDER": "stripe"}
    result = manage("check", "--deploy", env=stripe)
    assert result.returncode != 0 and "STRIPE_SECRET_KEY" in result.stderr
    keys = {"STRIPE_SECRET_KEY": "sk_live_x", "STRIPE_WEBHOOK_SECRET": "whsec_x"}
    assert "PAYMENT_PROVIDER" not in manage("check", "--deploy", env={**stripe, **keys}).stderr


def test_check_deploy_names_each_production_service_that_is_missing():
    live = {
        **PRODUCTION,
        "PAYMENT_PROVIDER": "stripe",
        "STRIPE_SECRET_KEY": "sk",
        "STRIPE_WEBHOOK_SECRET": "wh",
    }
    bare = {
        name: value for name, value in live.items() if name not in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL")
    }
    result = manage("check", "--deploy", env=bare)
    for name in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "TWILIO_ACCOUNT_SID"):
        assert name in result.stderr
    twilio = {f"TWILIO_{key}": "x" for key in ("ACCOUNT_SID", "AUTH_TOKEN", "MESSAGING_SERVICE_SID")}
    mailgun = {"ANYMAIL_PROVIDER": "mailgun", "ANYMAIL_MAILGUN_API_KEY": "key"}
    result = manage("check", "--deploy", env={**live, **twilio, **mailgun})
    assert (
        "TWILIO_VERIFY_SERVICE_SID" in result.stderr
        and "ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY" in result.stderr
    )
    done = {"TWILIO_VERIFY_SERVICE_SID": "x", "MAILGUN_WEBHOOK_SIGNING_KEY": "signing"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env={**live, **twilio, **mailgun, **done})
    assert result.returncode == 0, result.stderr


def test_demo_data_refuses_to_run_outside_a_demo():
    result = manage("demo_data", env=PRODUCTION)
    assert result.returncode != 0
    assert "DEMO=1" in result.stderr
    assert "Demo data is ready" not in result.stdout


def test_demo_data_refuses_in_process_too(settings):
    settings.DEBUG = settings.DEMO = False
    with pytest.raises(CommandError, match="DEMO=1"):
        call_command("demo_data")


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (0, None, "203.0.113.9"),
        (0, "127.0.0.1", "203.0.113.9"),  # no proxy: the header is the client's own words
        (0, "198.51.100.1, 127.0.0.1", "203.0.113.9"),
        (1, "198.51.100.7", "198.51.100.7"),  # what the proxy appended
        (1, "127.0.0.1, 198.51.100.7", "198.51.100.7"),  # a client cannot choose its address
        (1, "10.0.0.1,127.0.0.1 ,  198.51.100.7", "198.51.100.7"),
        (1, None, "203.0.113.9"),  # straight to gunicorn (the container's health check): no proxy in between
        (1, "", "203.0.113.9"),
        (2, "127.0.0.1, 198.51.100.7, 192.0.2.4", "198.51.100.7"),
    ],
)
def test_client_ip_trusts_only_what_the_proxies_appended(rf, settings, proxies, forwarded, expected):
    settings.NUM_PROXIES = proxies
    headers = {"REMOTE_ADDR": "203.0.113.9"}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_ip(rf.get("/", **headers)) == expected


def test_https_is_read_from_the_proxy_header_only_behind_a_proxy():
    show = 'from django.conf import settings; print(getattr(settings, "SECURE_PROXY_SSL_HEADER", None))'
    direct = manage("shell", "--no-imports", "-c", show, env={**PRODUCTION, "NUM_PROXIES": "0"})
    assert direct.stdout.strip() == "None", direct.stderr
    proxied = manage("shell", "--no-imports", "-c", show, env={**PRODUCTION, "NUM_PROXIES": "1"})
    assert proxied.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')", proxied.stderr


def test_compose_publishes_on_loopback_only_and_gunicorn_trusts_no_forwarded_headers_itself():
    compose = YAML(typ="safe").load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    for name, service in services.items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} on every interface"
    web = services["web"]
    command = web.get("command") or dockerfile_cmd()
    assert command[0] == "gunicorn"
    assert "--forwarded-allow-ips" not in command and "FORWARDED_ALLOW_IPS" not in web.get("environment", {})
    assert command[command.index("--bind") + 1] == "0.0.0.0:8000"  # in the container, published as:
    assert "127.0.0.1:8000:8000" in web["ports"]


def dockerfile_cmd() -> list[str]:
    line = next(line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("CMD "))
    return json.loads(line.removeprefix("CMD "))


def test_the_lock_pins_every_dependency_within_its_range_in_pyproject():
    """A dependency added to pyproject.toml without `make lock` fails here, not on a fresh install."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pinned = {}
    for name, version in re.findall(
        r"^([\w.-]+)==([^\s;\\]+)", (ROOT / "requirements.lock").read_text(), re.M
    ):
        pinned.setdefault(canonicalize_name(name), []).append(version)
    behind = []
    for line in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        requirement = Requirement(line)
        versions = pinned.get(canonicalize_name(requirement.name), [])
        if not any(requirement.specifier.contains(version) for version in versions):
            behind.append(line)
    assert not behind, f"requirements.lock does not satisfy {behind}: run `make lock`"
