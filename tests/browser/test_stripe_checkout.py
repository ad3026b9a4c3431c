"""A purchase with Stripe Checkout in Chromium (T13): the checkout redirects to Stripe's hosted page (served
here by Playwright in Stripe's place; the API calls go to a local stand-in over real HTTP), a signed
``checkout.session.completed`` pays the order and queues the tickets email, the same webhook again changes
nothing, and one with the wrong amount or a bad signature leaves an order unpaid."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from hub.models import OutboundMessage
from ticketing.models import Order

from ..ticketing.factories import CategoryFactory
from ..ticketing.stripe_standin import StripeStandIn, session_event, signed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SECRET = "whsec_test_guichet"
HOSTED_PAGE = "<!doctype html><title>Stripe Checkout</title><h1>Pay Salle Pleyel</h1>"


@pytest.fixture
def stripe_api(settings, live_server):
    standin = StripeStandIn()
    settings.SITE_URL = live_server.url
    settings.PAYMENT_PROVIDER, settings.STRIPE_API_BASE = "stripe", standin.url
    settings.STRIPE_SECRET_KEY, settings.STRIPE_WEBHOOK_SECRET = "sk_test_guichet", SECRET
    yield standin
    standin.close()


def webhook(event, secret=SECRET):
    body, signature = signed(event, secret)
    return Client().post(
        "/payments/stripe/notify/",
        body,
        content_type="application/json",
        headers={"stripe-signature": signature},
    )


def buy(page, live_server, event, email):
    category = event.categories.get()
    page.goto(f"{live_server.url}/en/o/{event.organisation.slug}/{event.slug}/")
    page.select_option(f"#q_{category.pk}", "2")
    page.locator("#tickets button[type=submit]").click()
    page.fill("#id_email", email)
    page.fill("#id_email_again", email)
    for index in (0, 1):
        page.fill(f"#id_first_name_{index}", "Lena")
        page.fill(f"#id_last_name_{index}", "Weber")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"^https://checkout\.stripe\.com/c/pay/cs_test_"))
    return Order.objects.get(buyer_email=email), page.url.rsplit("/", 1)[1]


def test_a_stripe_checkout_pays_once_for_the_right_amount(page, live_server, stripe_api, screenshot):
    page.route(
        "https://checkout.stripe.com/**",
        lambda route: route.fulfill(body=HOSTED_PAGE, content_type="text/html"),
    )
    event = CategoryFactory(price="30.00", quota=20, event__title_en="Jazz Night").event
    order, session = buy(page, live_server, event, "lena@example.org")
    expect(
        page.get_by_role("heading", name="Pay Salle Pleyel")
    ).to_be_visible()  # Stripe's page, no card field of ours
    screenshot(page, "1-hosted-page")
    assert order.status == Order.Status.PENDING

    paid = session_event("completed", session, amount=6000)
    assert webhook(paid).status_code == 200
    page.goto(stripe_api.requests[0]["fields"]["success_url"])  # Stripe sends the buyer back
    expect(page.locator("#order-card a[href^='/t/']")).to_have_count(2, timeout=15000)
    screenshot(page, "2-paid")
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert OutboundMessage.objects.filter(idempotency_key=f"order-tickets:{order.reference}").count() == 1
    assert webhook(paid).status_code == 200  # the same webhook again: nothing changes
    assert OutboundMessage.objects.count() == 1 and Order.objects.get(pk=order.pk).status == Order.Status.PAID

    other, other_session = buy(page, live_server, event, "max@example.org")
    assert webhook(session_event("completed", other_session, amount=600)).status_code == 400  # wrong amount
    assert webhook(session_event("completed", other_session, amount=6000), "whsec_forged").status_code == 400
    other.refresh_from_db()
    assert other.status == Order.Status.PENDING
