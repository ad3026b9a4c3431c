"""SMS cannot be pumped: verification codes go only to mobiles of the allowed countries, a few per number,
per client address and per day; a refusal comes before anything is sent."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from hub import sms
from hub.models import ConsoleSms
from statuspage.models import Subscriber, SubscriptionRequest

PARIS_MOBILE = "+33612345678"


def codes_sent() -> int:
    return ConsoleSms.objects.filter(kind=ConsoleSms.Kind.VERIFICATION).count()


def refusal(**kwargs) -> sms.SmsRefused:
    with pytest.raises(sms.SmsRefused) as caught, translation.override("en"):
        sms.start_verification(**kwargs)
    return caught.value


@pytest.mark.parametrize(
    ("number", "e164"),
    [
        ("+33 6 12 34 56 78", "+33612345678"),
        ("+41 79 123 45 67", "+41791234567"),
        ("+44 7400 123456", "+447400123456"),
        ("+49 151 12345678", "+4915112345678"),
        ("+32 470 12 34 56", "+32470123456"),
    ],
)
def test_mobiles_of_the_allowed_countries_are_normalised(number, e164):
    assert sms.normalise_mobile(number) == e164


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("+33 1 42 68 53 00", "not_mobile"),  # a Paris landline
        ("+41 21 588 17 12", "not_mobile"),  # a Lausanne landline
        ("+33 8 99 12 34 56", "not_mobile"),  # premium rate
        ("+1 650 253 0000", "country"),  # the United States are not in the default list
        ("+7 912 345 67 89", "country"),  # nor is Russia
        ("0612345678", "invalid"),  # not in international form
        ("+33 7 12 34 56 78", "invalid"),  # no such number
        ("call me", "invalid"),
    ],
)
def test_other_numbers_are_refused_with_a_reason(number, code):
    with pytest.raises(sms.SmsRefused) as caught:
        sms.normalise_mobile(number)
    assert caught.value.code == code
    assert isinstance(caught.value, ValidationError)


def test_a_country_whose_numbers_do_not_tell_mobile_from_landline_can_be_allowed(settings):
    settings.SMS_ALLOWED_COUNTRIES = ["US"]
    assert sms.normalise_mobile("+1 650 253 0000") == "+16502530000"
    with pytest.raises(sms.SmsRefused):
        sms.normalise_mobile(PARIS_MOBILE)


@pytest.mark.django_db
def test_a_refused_number_gets_a_clear_message_and_no_code():
    error = refusal(to="+33142685300", ip="198.51.100.7")
    assert error.messages == ["This number cannot receive SMS from us."]
    assert codes_sent() == 0


@pytest.mark.django_db
def test_codes_are_limited_per_number_and_per_day(settings):
    settings.SMS_DAILY_LIMIT_PER_NUMBER = 3
    start = timezone.now().replace(hour=10)
    with time_machine.travel(start, tick=False):
        for i in range(3):
            sms.start_verification(to=PARIS_MOBILE, ip=f"198.51.100.{i}")
        error = refusal(to=PARIS_MOBILE, ip="198.51.100.99")
        assert error.code == "number_limit"
        assert error.messages == ["Too many codes sent to this number today. Please try again tomorrow."]
        assert codes_sent() == 3
        sms.start_verification(to="+33612345679", ip="198.51.100.99")
        assert codes_sent() == 4
    with time_machine.travel(start + timedelta(days=1), tick=False):
        sms.start_verification(to=PARIS_MOBILE, ip="198.51.100.99")
        assert codes_sent() == 5


@pytest.mark.django_db
def test_codes_are_limited_per_client_address(settings):
    settings.SMS_DAILY_LIMIT_PER_ADDRESS = 3
    for n in range(3):
        sms.start_verification(to=f"+3361234567{n}", ip="198.51.100.7")
    error = refusal(to="+33612345673", ip="198.51.100.7")
    assert error.code == "address_limit"
    sms.start_verification(to="+33612345673", ip="203.0.113.1")
    assert codes_sent() == 4


@pytest.mark.django_db
def test_codes_are_limited_per_day_whoever_asks(settings):
    settings.SMS_DAILY_LIMIT = 4
    for n in range(4):
        sms.start_verification(to=f"+3361234567{n}", ip=f"203.0.113.{n}")
    error = refusal(to="+33612345679", ip="203.0.113.9")
    assert error.code == "daily_limit"
    assert codes_sent() == 4


@pytest.mark.django_db
def test_a_status_page_sms_subscription_to_a_landline_is_refused(client, settings):
    response = client.post(
        "/en/status/subscribe/", {"channel": "sms", "address": "+33142685300", "language": "fr"}
    )
    assert response.status_code == 200
    assert "This number cannot receive SMS from us." in response.content.decode()
    assert not Subscriber.objects.exists() and not SubscriptionRequest.objects.exists() and codes_sent() == 0


@pytest.mark.django_db
def test_status_page_sms_subscriptions_count_against_the_client_address(client, settings):
    settings.SMS_DAILY_LIMIT_PER_ADDRESS = 2
    for n in range(3):
        response = client.post(
            "/en/status/subscribe/",
            {"channel": "sms", "address": f"+3361234567{n}", "language": "fr"},
            REMOTE_ADDR="198.51.100.20",
        )
    assert "Too many codes requested from your address today" in response.content.decode()
    assert SubscriptionRequest.objects.count() == 2 and codes_sent() == 2  # the third was refused
