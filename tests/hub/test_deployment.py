"""What production refuses that a demo allows, and what it trusts from the network."""

import pytest
from django.core.management import CommandError, call_command

from .test_project import PRODUCTION, manage


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


def test_demo_data_refuses_to_run_outside_a_demo():
    result = manage("demo_data", env=PRODUCTION)
    assert result.returncode != 0
    assert "DEMO=1" in result.stderr
    assert "Demo data is ready" not in result.stdout


def test_demo_data_refuses_in_process_too(settings):
    settings.DEBUG = settings.DEMO = False
    with pytest.raises(CommandError, match="DEMO=1"):
        call_command("demo_data")
