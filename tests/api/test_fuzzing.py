"""The JSON API survives fuzzing: schemathesis generates valid requests and invalid ones (negative mode) for
every operation of /api/openapi.json and sends them to a live test server with an operator token and a
scanner token.

No answer may be a server error, every status code must be one the operation declares, and every body must
match the schema declared for its status. Bounded: a fixed number of examples per operation and no shrinking,
so it stays well under two minutes.
"""

from decimal import Decimal

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from hub.models import Role
from hub.tokens import create_token
from ticketing.services import orders, scanning

from ..helpers import make_user
from ..ticketing.factories import CategoryFactory, seller_admin

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES_PER_OPERATION = 40  # valid and invalid requests mixed
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@pytest.fixture
def credentials():
    """An operator's personal token, and a scanner token of an organisation with a paid order."""
    operator = make_user("fuzz-operator", Role.OPERATOR)
    _, operator_token = create_token(actor=operator, user=operator, name="fuzzing")
    category = CategoryFactory(price=Decimal("0.00"))  # a free order is paid at once: valid tickets to scan
    orders.place_order(
        event_id=category.event_id,
        buyer_email="fuzz@example.org",
        language="fr",
        seats=[orders.Seat(category.pk, "Ada", "Lovelace")],
    )
    seller = seller_admin(category.event.organisation, "fuzz-seller")
    _, scanner_token = scanning.create_device(
        actor=seller, organisation=category.event.organisation, name="fuzz"
    )
    return {"operator": operator_token, "scanner": scanner_token}


def fuzzer(operation, *, base_url: str, token: str):
    """A Hypothesis test that sends generated requests for one operation and checks each answer."""

    @given(case=st.one_of(*(operation.as_strategy(mode) for mode in GenerationMode)))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case):
        case.call_and_validate(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

    return fuzz


def test_every_operation_survives_fuzzing(live_server, credentials):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/openapi.json")
    failures = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        token = credentials["scanner" if operation.path.startswith("/api/v1/checkin/") else "operator"]
        try:
            fuzzer(operation, base_url=live_server.url, token=token)()
        except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001 - collected, reported together
            failures[operation.label] = str(failure)[:3000]
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
