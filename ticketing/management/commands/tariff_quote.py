import json
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from ticketing.commission import quote


class Command(BaseCommand):
    help = "Print the commission on tickets at the given prices (default schedule), one JSON line each."

    def add_arguments(self, parser):
        parser.add_argument("prices", nargs="+", metavar="PRICE", help="ticket price incl. VAT, e.g. 49.90")

    def handle(self, *args, prices, **options):
        for raw in prices:
            try:
                price = Decimal(raw.replace(",", "."))
            except InvalidOperation as exc:
                raise CommandError(f"not a price: {raw!r}") from exc
            if price < 0 or not price.is_finite():
                raise CommandError(f"not a price: {raw!r}")
            self.stdout.write(json.dumps(quote(price).as_dict()))
