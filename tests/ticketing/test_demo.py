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
