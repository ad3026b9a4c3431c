import uuid
from datetime import timedelta
from decimal import Decimal

import factory
from django.conf import settings
from django.utils import timezone

from hub.models import Role
from ticketing.models import Category, Event, Membership, Organisation

from ..helpers import make_user


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Salle {n}")
    slug = factory.Sequence(lambda n: f"salle-{n}")
    legal_name = factory.LazyAttribute(lambda o: f"{o.name} SAS")
    registration_number = "512 345 678 00021"
    address = "1 rue de la Paix"
    postal_code = "75002"
    city = "Paris"
    country = "FR"
    contact_email = factory.Sequence(lambda n: f"contact{n}@example.org")
    contact_phone = "+33612345678"
    status = Organisation.Status.ACTIVE
    verified_at = factory.LazyFunction(timezone.now)
    commission_percent = settings.COMMISSION_PERCENT
    commission_fixed = settings.COMMISSION_FIXED
    commission_minimum = settings.COMMISSION_MINIMUM
    commission_vat_rate = settings.COMMISSION_VAT_RATE


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    organisation = factory.SubFactory(OrganisationFactory)
    slug = factory.Sequence(lambda n: f"concert-{n}")
    title_fr = factory.Sequence(lambda n: f"Concert {n}")
    title_de = factory.Sequence(lambda n: f"Konzert {n}")
    venue = "Salle Pleyel"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + timedelta(hours=3))
    sales_start = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    sales_end = factory.LazyAttribute(lambda e: e.starts_at)
    capacity = 100
    status = Event.Status.PUBLISHED


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    event = factory.SubFactory(EventFactory)
    name_fr = "Placement libre"
    name_de = "Freie Platzwahl"
    price = Decimal("25.00")
    vat_rate = Decimal("0.055")
    quota = 50


def seller_admin(organisation, username="sophie"):
    user = make_user(username, Role.SELLER_ADMIN)
    Membership.objects.create(organisation=organisation, user=user, role=Role.SELLER_ADMIN)
    return user


def bank_session(order) -> dict:
    """Open the order's payment session and read it back as the demo bank's page would."""
    from ticketing.payments import demobank
    from ticketing.services import orders

    url = orders.start_payment(order=order)
    return demobank.read_session(url.rstrip("/").rsplit("/", 1)[-1])


def notify(client, body: bytes, signature: str):
    """POST a notification to Guichet exactly as the demo bank's servers do."""
    return client.post(
        "/payments/demo/notify/", body, content_type="application/json", HTTP_X_DEMOBANK_SIGNATURE=signature
    )


def pay(client, order):
    """The buyer pays on the demo bank and the bank notifies Guichet."""
    from ticketing.payments import demobank

    body = demobank.notification_body(bank_session(order))
    return notify(client, body, demobank.sign(body))


def member(organisation, role=Role.BOX_OFFICE, username=None):
    """A member of ``organisation`` with ``role`` (box-office staff by default)."""
    user = make_user(username or f"{role}-{uuid.uuid4().hex[:6]}", role)
    Membership.objects.create(organisation=organisation, user=user, role=role)
    return user


def station_for(organisation, name="Caisse 1"):
    """A box-office station of ``organisation``, its raw device token and the seller admin who made it."""
    from ticketing.services import counter

    manager = seller_admin(organisation, username=f"manager-{uuid.uuid4().hex[:6]}")
    station, raw = counter.create_station(actor=manager, organisation=organisation, name=name)
    return station, raw, manager
