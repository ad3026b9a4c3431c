import json
import secrets
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import Client
from django.utils import timezone

from hub.models import Role, User
from ticketing.commission import Schedule, quote
from ticketing.models import Category, Event, Membership, Order, Organisation, Ticket
from ticketing.services import counter, scanning
from ticketing.services import orders as orders_service

TICKETS_PER_ORDER = 4


class Command(BaseCommand):
    help = (
        "Build one organiser, one event with N paid tickets, one scanner token and box-office stations "
        "for the benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tickets", type=int, required=True)
        parser.add_argument("--out", type=Path, required=True, help="folder for secrets.txt and target.json")
        parser.add_argument("--capacity", type=int, help="the event's capacity (default: the tickets)")
        parser.add_argument(
            "--stations", type=int, default=0, help="box-office stations, tokens in target.json"
        )
        parser.add_argument(
            "--staff",
            type=int,
            default=0,
            help="seller admins of the organisation, signed in: their Cookie headers in target.json",
        )

    @transaction.atomic
    def handle(self, *args, tickets, out, capacity=None, stations=0, staff=0, **options):
        run = f"bench-{int(time.time() * 1000)}"
        now = timezone.now()
        organisation = Organisation.objects.create(
            name=f"Bench {run}",
            slug=run,
            legal_name="Bench SAS",
            registration_number="0",
            address="1 rue",
            postal_code="75001",
            city="Paris",
            country="FR",
            contact_email="bench@example.org",
            contact_phone="+33612345678",
            status=Organisation.Status.ACTIVE,
            verified_at=now,
            commission_percent=settings.COMMISSION_PERCENT,
            commission_fixed=settings.COMMISSION_FIXED,
            commission_minimum=settings.COMMISSION_MINIMUM,
            commission_vat_rate=settings.COMMISSION_VAT_RATE,
        )
        admin = User.objects.create_user(username=run, email=f"{run}@example.org")
        Membership.objects.create(organisation=organisation, user=admin, role=Role.SELLER_ADMIN)
        event = Event.objects.create(
            organisation=organisation,
            slug="bench",
            title_fr="Bench",
            venue="Bench hall",
            starts_at=now + timedelta(hours=1),
            ends_at=now + timedelta(hours=6),
            sales_start=now - timedelta(days=1),
            sales_end=now + timedelta(hours=1),
            capacity=capacity or tickets,
            status=Event.Status.PUBLISHED,
            published_at=now,
        )
        category = Category.objects.create(
            event=event, name_fr="Placement libre", price=Decimal("25.00"), quota=capacity or tickets
        )
        commission = quote(category.price, Schedule.of(organisation))
        orders = Order.objects.bulk_create(
            Order(
                organisation=organisation,
                event=event,
                reference=orders_service.new_reference(),
                buyer_email=f"buyer{i}@example.org",
                status=Order.Status.PAID,
                total=category.price * TICKETS_PER_ORDER,
                created_at=now,
                expires_at=now,
                paid_at=now,
            )
            for i in range((tickets + TICKETS_PER_ORDER - 1) // TICKETS_PER_ORDER)
        )
        secrets_list = [secrets.token_urlsafe(24) for _ in range(tickets)]
        Ticket.objects.bulk_create(
            (
                Ticket(
                    order=orders[i // TICKETS_PER_ORDER],
                    event=event,
                    category=category,
                    number=f"{orders[i // TICKETS_PER_ORDER].reference}-{i % TICKETS_PER_ORDER + 1}",
                    secret=secret,
                    first_name=f"Prénom{i}",
                    last_name=f"Nom{i:06d}",
                    price=category.price,
                    vat_rate=category.vat_rate,
                    commission_excl_vat=commission.commission_excl_vat,
                    commission_vat=commission.commission_vat,
                    status=Ticket.Status.VALID,
                )
                for i, secret in enumerate(secrets_list)
            ),
            batch_size=2000,
        )
        _, token = scanning.create_device(actor=admin, organisation=organisation, name="bench scanner")
        station_tokens = [
            counter.create_station(actor=admin, organisation=organisation, name=f"Caisse {n}")[1]
            for n in range(1, stations + 1)
        ]
        staff_cookies = [self.signed_in(organisation, f"{run}-staff{n}") for n in range(1, staff + 1)]
        out.mkdir(parents=True, exist_ok=True)
        (out / "secrets.txt").write_text("\n".join(secrets_list) + "\n")
        (out / "target.json").write_text(
            json.dumps(
                {
                    "token": token,
                    "event_id": event.pk,
                    "organisation_id": organisation.pk,
                    "category_id": category.pk,
                    "stations": station_tokens,
                    "staff_cookies": staff_cookies,
                }
            )
        )
        self.stdout.write(f"{tickets} tickets for event {event.pk}; files in {out}")

    @staticmethod
    def signed_in(organisation, username: str) -> str:
        """A new seller admin of ``organisation`` with a session, as the Cookie header of their browser."""
        user = User.objects.create_user(username=username, email=f"{username}@example.org")
        Membership.objects.create(organisation=organisation, user=user, role=Role.SELLER_ADMIN)
        browser = Client()
        browser.force_login(user)
        return "; ".join(f"{name}={morsel.value}" for name, morsel in browser.cookies.items())
