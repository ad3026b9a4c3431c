import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ticketing.commission import Schedule, quote


@pytest.mark.parametrize(
    ("price", "excl", "vat", "net"),
    [
        ("10.00", "1.00", "0.20", "8.80"),  # 0.625 is below the minimum
        ("50.00", "1.13", "0.23", "48.64"),  # 1.125 rounds half up
        ("100.00", "1.75", "0.35", "97.90"),
        ("40.00", "1.00", "0.20", "38.80"),  # exactly the minimum
        ("49.90", "1.12", "0.22", "48.56"),
        ("0.00", "0.00", "0.00", "0.00"),  # free tickets carry no commission
    ],
)
def test_commission_table(price, excl, vat, net):
    q = quote(Decimal(price))
    assert (q.commission_excl_vat, q.commission_vat, q.net_to_seller) == (
        Decimal(excl),
        Decimal(vat),
        Decimal(net),
    )
    assert q.commission_incl_vat == Decimal(excl) + Decimal(vat)


def test_a_schedule_of_its_own():
    schedule = Schedule(Decimal("0.02"), Decimal("0.30"), Decimal("0.80"), Decimal("0.077"))
    q = quote(Decimal("100"), schedule)
    assert (q.commission_excl_vat, q.commission_vat) == (Decimal("2.30"), Decimal("0.18"))


def test_tariff_quote_prints_one_json_line_per_price():
    out = StringIO()
    call_command("tariff_quote", "10", "50", "100", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines == [
        {
            "price": "10.00",
            "commission_excl_vat": "1.00",
            "commission_vat": "0.20",
            "commission_incl_vat": "1.20",
            "net_to_seller": "8.80",
        },
        {
            "price": "50.00",
            "commission_excl_vat": "1.13",
            "commission_vat": "0.23",
            "commission_incl_vat": "1.36",
            "net_to_seller": "48.64",
        },
        {
            "price": "100.00",
            "commission_excl_vat": "1.75",
            "commission_vat": "0.35",
            "commission_incl_vat": "2.10",
            "net_to_seller": "97.90",
        },
    ]


def test_tariff_quote_refuses_what_is_not_a_price():
    with pytest.raises(CommandError):
        call_command("tariff_quote", "abc", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("tariff_quote", "-5", stdout=StringIO())


@pytest.mark.django_db
def test_tariff_page_shows_examples_from_the_same_code(client):
    html = client.get("/fr/tariff/").content.decode()
    assert "1,25" in html and "0,50" in html
    assert "1,13\xa0€" in html and "48,64\xa0€" in html  # the 50 € example
    html = client.get("/en/tariff/").content.decode()
    assert "€1.13" in html
