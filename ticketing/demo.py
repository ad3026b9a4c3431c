"""Demo data: a verified theatre with an upcoming event (200 tickets sold) and a past one awaiting its
payout, and a festival still waiting for its phone verification."""

import random
import secrets
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hub import services as hub_services
from hub import tokens
from hub.models import Role, User

from .models import Category, Event, Membership, Order, Organisation, Payment, Station, Ticket
from .payments import demobank
from .services import orders, settlements

FIRST_NAMES = [
    "Camille",
    "Lucas",
    "Léa",
    "Hugo",
    "Chloé",
    "Louis",
    "Emma",
    "Jules",
    "Manon",
    "Arthur",
    "Lina",
    "Noah",
    "Sarah",
    "Paul",
    "Inès",
    "Tom",
    "Jana",
    "Felix",
    "Mia",
    "Elias",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Müller",
    "Schmid",
    "Keller",
    "Weber",
    "Meyer",
    "Fontaine",
    "Rousseau",
    "Blanc",
    "Garnier",
    "Faure",
]
PENDING_USER = ("festival", "guichet-festival")


def _organisation(slug, **fields) -> tuple[Organisation, bool]:
    defaults = {
        "commission_percent": settings.COMMISSION_PERCENT,
        "commission_fixed": settings.COMMISSION_FIXED,
        "commission_minimum": settings.COMMISSION_MINIMUM,
        "commission_vat_rate": settings.COMMISSION_VAT_RATE,
        **fields,
    }
    return Organisation.objects.get_or_create(slug=slug, defaults=defaults)


def _sell(event: Event, categories: list[Category], count: int, *, paid_at, rng) -> None:
    """Paid orders of one to four tickets, as the checkout would have made them (without the emails)."""
    sold = 0
    while sold < count:
        size = min(rng.randint(1, 4), count - sold)
        chosen = [rng.choice(categories) for _ in range(size)]
        last_name = rng.choice(LAST_NAMES)
        order = Order.objects.create(
            organisation=event.organisation,
            event=event,
            reference=orders.new_reference(),
            buyer_email=f"{last_name.lower().replace('ü', 'u')}.{sold}@example.org",
            language=rng.choice("ffde"),
            total=sum((c.price for c in chosen), Decimal("0.00")),
            currency=event.organisation.currency,
            created_at=paid_at,
            expires_at=paid_at + timedelta(minutes=15),
        )
        Ticket.objects.bulk_create(
            Ticket(
                order=order,
                event=event,
                category=category,
                number=f"{order.reference}-{i}",
                secret=secrets.token_urlsafe(24),
                first_name=rng.choice(FIRST_NAMES),
                last_name=last_name,
                price=category.price,
                vat_rate=category.vat_rate,
            )
            for i, category in enumerate(chosen, start=1)
        )
        if order.total > 0:  # paid at the demo bank, so that refunds work in the demo
            session_id = f"demo-{order.reference}"
            Payment.objects.create(
                order=order,
                provider="demo",
                session_id=session_id,
                transaction_id=demobank.transaction_id({"id": session_id}),
                amount=order.total,
                currency=order.currency,
                status=Payment.Status.PAID,
                created_at=paid_at,
                paid_at=paid_at,
            )
        orders.confirm_paid(order, paid_at, send_tickets=False)
        sold += size


@transaction.atomic
def load(stdout):
    rng = random.Random(2026)  # noqa: S311 - demo names, not secrets
    now = timezone.now().replace(second=0, microsecond=0)
    paris = ZoneInfo("Europe/Paris")
    evening = (now + timedelta(days=21)).astimezone(paris).replace(hour=20, minute=0)  # shows start at 20:00
    autumn_end = (now - timedelta(days=5)).astimezone(paris).replace(hour=23, minute=0)
    theatre, created = _organisation(
        "theatre-du-marche",
        name="Théâtre du Marché",
        legal_name="Théâtre du Marché SAS",
        registration_number="512 345 678 00021",
        vat_number="FR12512345678",
        address="12 place du Marché",
        postal_code="69002",
        city="Lyon",
        country="FR",
        contact_email="seller@guichet.localhost",
        contact_phone="+33612345678",
        status=Organisation.Status.ACTIVE,
        verified_at=now - timedelta(days=90),
        verification_method="sms",
    )
    for username, role in (
        ("seller", Role.SELLER_ADMIN),
        ("boxoffice", Role.BOX_OFFICE),
        ("door", Role.DOOR_STAFF),
    ):
        user = User.objects.filter(username=username).first()
        if user:
            Membership.objects.get_or_create(organisation=theatre, user=user, defaults={"role": role})
    if created:
        jazz = Event.objects.create(
            organisation=theatre,
            slug="nuit-du-jazz",
            title_fr="Nuit du Jazz",
            title_de="Jazznacht",
            title_en="Jazz Night",
            description_fr="Trois orchestres, une nuit, sous la grande verrière du marché.",
            description_de="Drei Bands, eine Nacht unter dem großen Glasdach der Markthalle.",
            description_en="Three bands, one night, under the market's great glass roof.",
            venue="Halle du Marché",
            venue_address="12 place du Marché, 69002 Lyon",
            time_zone="Europe/Paris",
            starts_at=evening,
            ends_at=evening + timedelta(hours=4),
            sales_start=now - timedelta(days=30),
            sales_end=evening,
            capacity=400,
            status=Event.Status.PUBLISHED,
            published_at=now - timedelta(days=30),
        )
        free = Category.objects.create(
            event=jazz,
            name_fr="Placement libre",
            name_de="Freie Platzwahl",
            name_en="Free seating",
            price=Decimal("25.00"),
            quota=300,
            position=1,
        )
        gold = Category.objects.create(
            event=jazz,
            name_fr="Carré Or",
            name_de="Goldener Bereich",
            name_en="Gold area",
            price=Decimal("55.00"),
            quota=100,
            position=2,
        )
        _sell(jazz, [free, free, free, gold], 200, paid_at=now - timedelta(days=3), rng=rng)

        autumn = Event.objects.create(
            organisation=theatre,
            slug="concert-d-automne",
            title_fr="Concert d’automne",
            title_de="Herbstkonzert",
            title_en="Autumn Concert",
            venue="Théâtre du Marché",
            venue_address="12 place du Marché, 69002 Lyon",
            time_zone="Europe/Paris",
            starts_at=autumn_end - timedelta(hours=3),
            ends_at=autumn_end,
            sales_start=now - timedelta(days=60),
            sales_end=autumn_end - timedelta(hours=3),
            capacity=150,
            status=Event.Status.PUBLISHED,
            published_at=now - timedelta(days=60),
        )
        seat = Category.objects.create(
            event=autumn,
            name_fr="Tarif normal",
            name_de="Normalpreis",
            name_en="Standard",
            price=Decimal("18.00"),
            quota=150,
        )
        _sell(autumn, [seat], 96, paid_at=now - timedelta(days=20), rng=rng)
        settlements.compute_settlement(autumn)
        # the box office's till: /pos/ pairs a device with it (its token is never shown here)
        Station.objects.create(
            organisation=theatre,
            name="Caisse 1",
            token_digest=tokens.digest(tokens.new_raw("gps_")),
            prefix="gps_demo",
        )

    festival, created = _organisation(
        "festival-des-lumieres",
        name="Festival des Lumières",
        legal_name="Association Lumières",
        registration_number="W691234567",
        address="3 quai Saint-Antoine",
        postal_code="69002",
        city="Lyon",
        country="FR",
        contact_email="festival@guichet.localhost",
        contact_phone="+33698765432",
    )
    username, password = PENDING_USER
    user, user_created = User.objects.get_or_create(
        username=username,
        defaults={"email": "festival@guichet.localhost", "first_name": "Farid", "last_name": "Lumière"},
    )
    if user_created:
        user.set_password(password)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(organisation=festival, user=user, defaults={"role": Role.SELLER_ADMIN})
    hub_services.grant_role(actor="demo_data", user=user, role=Role.SELLER_ADMIN)
    stdout.write(f"  {username:<10} {password:<18} Seller admin, waiting for phone verification")
    stdout.write("Seller spaces: Théâtre du Marché (active, 2 events), Festival des Lumières (pending).")
