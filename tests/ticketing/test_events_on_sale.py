"""The public home page leads to what a visitor comes for: the events on sale and the status page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from ticketing.models import Event, Organisation

from .factories import CategoryFactory, EventFactory

pytestmark = pytest.mark.django_db


def test_the_events_on_sale_page_lists_open_sales_with_links_to_their_sale_pages(client):
    now = timezone.now()
    on_sale = CategoryFactory(
        event__title_fr="Nuit du Jazz", event__title_de="Jazznacht", event__title_en="Jazz Night"
    ).event
    EventFactory(title_fr="Brouillon", status=Event.Status.DRAFT)
    day = timedelta(days=1)
    EventFactory(title_fr="Pas encore", sales_start=now + day, sales_end=now + 5 * day)
    EventFactory(title_fr="Vente close", sales_start=now - 5 * day, sales_end=now - day)
    EventFactory(title_fr="Suspendu", organisation__status=Organisation.Status.SUSPENDED)

    for language, title in (("fr", "Nuit du Jazz"), ("de", "Jazznacht"), ("en", "Jazz Night")):
        page = client.get(f"/{language}/events/").content.decode()
        assert f"<h2>{title}</h2>" in page and on_sale.organisation.name in page
        assert f'href="/{language}/o/{on_sale.organisation.slug}/{on_sale.slug}/"' in page
        assert len(re.findall(r'class="card event-card"', page)) == 1, "only the open sale"


def test_the_home_page_and_every_public_page_link_to_the_events_on_sale_and_the_status_page(client):
    for language in ("fr", "de", "en"):
        home = client.get(f"/{language}/").content.decode()
        main = home[home.index("<main") : home.index("</main>")]
        assert f'href="/{language}/events/"' in main and f'href="/{language}/status/"' in main
        footer = client.get(f"/{language}/tariff/").content.decode().split("<footer", 1)[1]
        assert f'href="/{language}/events/"' in footer and f'href="/{language}/status/"' in footer
    assert client.get("/fr/events/").content.decode().count("Aucun événement à venir") == 1, "none on sale"
