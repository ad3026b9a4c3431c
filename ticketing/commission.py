"""Guichet's commission per ticket sold (T5): a percentage of the price plus a fixed part, never below a
minimum, all excluding VAT; VAT is then charged on the commission. Amounts are rounded half-up to the cent.
The tariff page, the order engine and ``tariff_quote`` all call ``quote``.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def cents(amount) -> Decimal:
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Schedule:
    percent: Decimal
    fixed: Decimal
    minimum: Decimal
    vat_rate: Decimal

    @classmethod
    def default(cls) -> "Schedule":
        return cls(
            settings.COMMISSION_PERCENT,
            settings.COMMISSION_FIXED,
            settings.COMMISSION_MINIMUM,
            settings.COMMISSION_VAT_RATE,
        )

    @classmethod
    def of(cls, organisation) -> "Schedule":
        return cls(
            organisation.commission_percent,
            organisation.commission_fixed,
            organisation.commission_minimum,
            organisation.commission_vat_rate,
        )


@dataclass(frozen=True)
class Quote:
    price: Decimal
    commission_excl_vat: Decimal
    commission_vat: Decimal

    @property
    def commission_incl_vat(self) -> Decimal:
        return self.commission_excl_vat + self.commission_vat

    @property
    def net_to_seller(self) -> Decimal:
        return self.price - self.commission_incl_vat

    def as_dict(self) -> dict[str, str]:
        return {
            "price": f"{self.price:.2f}",
            "commission_excl_vat": f"{self.commission_excl_vat:.2f}",
            "commission_vat": f"{self.commission_vat:.2f}",
            "commission_incl_vat": f"{self.commission_incl_vat:.2f}",
            "net_to_seller": f"{self.net_to_seller:.2f}",
        }


def quote(price, schedule: Schedule | None = None) -> Quote:
    """The commission on one ticket sold at ``price`` (incl. VAT). Free tickets carry none."""
    schedule = schedule or Schedule.default()
    price = cents(price)
    if price <= 0:
        return Quote(price, ZERO, ZERO)
    excl = cents(max(price * schedule.percent + schedule.fixed, schedule.minimum))
    return Quote(price, excl, cents(excl * schedule.vat_rate))
