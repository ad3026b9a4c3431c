from types import SimpleNamespace

import pytest
from django.utils import timezone

from hub.models import Role
from statuspage.models import Component, ComponentGroup, Subscriber

from ..helpers import make_user


@pytest.fixture
def components(db):
    on_site = ComponentGroup.objects.create(
        slug="on-site", name_fr="Sur place", name_de="Vor Ort", name_en="On site"
    )
    sales = ComponentGroup.objects.create(
        slug="sales", name_fr="Ventes", name_de="Verkauf", name_en="Sales", position=1
    )
    seller_roles = [Role.SELLER_ADMIN, Role.BOX_OFFICE]
    return SimpleNamespace(
        pos=Component.objects.create(
            slug="pos",
            group=on_site,
            name_fr="Caisse (POS)",
            name_de="Kasse (POS)",
            name_en="Till (POS)",
            audience=seller_roles,
        ),
        booking=Component.objects.create(
            slug="online-booking",
            group=sales,
            name_fr="Réservation en ligne",
            name_de="Online-Buchung",
            name_en="Online booking",
            audience=seller_roles,
            position=1,
        ),
        api=Component.objects.create(slug="api", name_fr="API", position=2),
        on_site=on_site,
        sales=sales,
    )


def subscriber(channel, address, language="fr", components=(), confirmed=True, unsubscribed=False):
    sub = Subscriber.objects.create(
        channel=channel,
        address=address,
        language=language,
        secret="hook-secret" if channel == Subscriber.Channel.WEBHOOK else "",
        confirmed_at=timezone.now() if confirmed else None,
        unsubscribed_at=timezone.now() if unsubscribed else None,
    )
    sub.components.set(components)
    return sub


@pytest.fixture
def seller(db):
    return make_user("sam", Role.SELLER_ADMIN, language="fr")


@pytest.fixture
def door(db):
    return make_user("dora", Role.DOOR_STAFF, language="fr")
