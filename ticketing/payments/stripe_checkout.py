"""Stripe Checkout (T13): the buyer pays on Stripe's hosted page; no card field is ever on a Guichet page.

- A Checkout Session in payment mode is created for the order's amount, in minor units (refused, never
  rounded, if the amount has more decimals than the currency), with the order's reference in its metadata.
  Each attempt has its own idempotency key, which the library reuses when it retries a request that got no
  answer: a retry never opens a second session.
- Webhooks (``/payments/stripe/notify/``) are verified with Stripe's signature scheme against
  ``STRIPE_WEBHOOK_SECRET``. A completed session that is paid, or a delayed payment that succeeded, pays the
  order (``orders.record_payment`` checks amount and currency and ignores a replay); a delayed payment that
  failed or an expired session is recorded as failed. ``charge.refunded`` tells what was given back of a
  payment in all, so a refund made in Stripe's dashboard reaches Guichet (``refunds.record_provider_refund``).
  Other events are acknowledged and change nothing.
- Refunds go through the Refund API with the caller's idempotency key (one refund per key).
"""

import uuid
from decimal import Decimal

import stripe
from django.conf import settings

from . import InvalidNotification, Notification, PaymentError, PaymentProvider, ProviderUnavailable, Session

SIGNATURE_HEADER = "Stripe-Signature"
PAID = {"checkout.session.completed", "checkout.session.async_payment_succeeded"}
FAILED = {"checkout.session.async_payment_failed", "checkout.session.expired"}


def minor_units(amount: Decimal) -> int:
    """Cents (or rappen, or pence) of ``amount``, exactly."""
    units = amount * 100
    if units != units.to_integral_value():
        raise PaymentError(f"{amount} has more than two decimals")
    return int(units)


def _refused(error: stripe.StripeError) -> PaymentError:
    """Stripe's answer as Guichet's error: no answer (or a server error) leaves the outcome unknown."""
    unknown = isinstance(error, stripe.APIConnectionError | stripe.RateLimitError)
    if unknown or (error.http_status or 0) >= 500:
        return ProviderUnavailable(str(error))
    return PaymentError(error.user_message or str(error))


class StripeProvider(PaymentProvider):
    code = "stripe"

    def _client(self) -> stripe.StripeClient:
        return stripe.StripeClient(
            settings.STRIPE_SECRET_KEY,
            base_addresses={"api": settings.STRIPE_API_BASE},
            max_network_retries=2,
        )

    def create_session(self, *, reference, amount, currency, description, return_url, cancel_url, notify_url):
        params = {
            "mode": "payment",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": currency.lower(),
                        "unit_amount": minor_units(amount),
                        "product_data": {"name": description},
                    },
                }
            ],
            "success_url": return_url,
            "cancel_url": cancel_url,
            "client_reference_id": reference,
            "metadata": {"reference": reference},
            "payment_intent_data": {"metadata": {"reference": reference}},
        }
        key = f"checkout-{reference}-{uuid.uuid4().hex}"  # this attempt's: the library's retries reuse it
        try:
            session = self._client().checkout.sessions.create(params=params, options={"idempotency_key": key})
        except stripe.StripeError as error:
            raise _refused(error) from error
        return Session(session.id, session.url)

    def parse_notification(self, request) -> Notification | None:
        try:
            event = stripe.Webhook.construct_event(
                request.body, request.headers.get(SIGNATURE_HEADER, ""), settings.STRIPE_WEBHOOK_SECRET
            )
            session = event["data"]["object"]
            if event["type"] == "charge.refunded":
                charge = session
                return Notification(
                    session_id="",
                    transaction_id=charge["payment_intent"],
                    status="refunded",
                    amount=Decimal(charge["amount_refunded"]).scaleb(-2),
                    currency=charge["currency"].upper(),
                )
            if event["type"] not in PAID | FAILED:
                return None
            if event["type"] == "checkout.session.completed" and session["payment_status"] != "paid":
                return None  # a delayed method (a bank debit): async_payment_succeeded or _failed follows
            return Notification(
                session_id=session["id"],
                transaction_id=session.get("payment_intent") or "",
                status="paid" if event["type"] in PAID else "failed",
                amount=Decimal(session["amount_total"]).scaleb(-2),
                currency=session["currency"].upper(),
            )
        except (ValueError, KeyError, TypeError, AttributeError, stripe.SignatureVerificationError) as error:
            raise InvalidNotification(f"not a verified Stripe event: {error!r}") from error

    def refund(self, *, transaction_id, amount, currency, idempotency_key) -> str:
        try:
            refund = self._client().refunds.create(
                params={"payment_intent": transaction_id, "amount": minor_units(amount)},
                options={"idempotency_key": idempotency_key},
            )
        except stripe.StripeError as error:
            raise _refused(error) from error
        if refund.status in ("failed", "canceled"):
            raise PaymentError(refund.get("failure_reason") or refund.status)
        return refund.id
