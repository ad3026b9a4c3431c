"""C2: every seller space has a short, stable account ID, shown in the back-office header by the initials."""

import re

import pytest

from hub.models import Role
from tests.helpers import make_user
from tests.ticketing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_account_ids_are_short_readable_and_unique():
    ids = {OrganisationFactory().account_id for _ in range(50)}
    assert len(ids) == 50
    assert all(re.fullmatch(r"GU-[A-HJ-NP-Z2-9]{6}", account_id) for account_id in ids)


def test_the_header_shows_the_account_id_next_to_the_initials(client):
    organisation = OrganisationFactory()
    seller = make_user("sophie", Role.SELLER_ADMIN, first_name="Sophie", last_name="Martin")
    organisation.memberships.create(user=seller, role=Role.SELLER_ADMIN)
    client.force_login(seller)
    page = client.get("/fr/backoffice/").content.decode()
    header = page.split('<div class="bo-user">', 1)[1].split("</div>", 1)[0]
    assert organisation.account_id in header
    assert '<span class="initials" aria-hidden="true">SM</span>' in header


def test_staff_without_a_seller_space_see_no_account_id(client):
    client.force_login(make_user("agent", Role.SUPPORT_AGENT))
    page = client.get("/fr/backoffice/").content.decode()
    assert 'class="account-id"' not in page
