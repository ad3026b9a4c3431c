"""Payment providers. The buyer pays on the provider's hosted page; Guichet never sees a card number.

A provider creates a hosted payment session, verifies the signed notification it sends back, and refunds.
``PAYMENT_PROVIDER`` picks one; the built-in ``demo`` provider plays the bank (``demobank``), in a demo only
(``DEBUG`` or ``DEMO``): anywhere else it would hand out tickets for any made-up card number.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.module_loading import import_string

PROVIDERS = {
    "demo": "ticketing.payments.demo.DemoProvider",
    "stripe": "ticketing.payments.stripe_checkout.StripeProvider",
}


@dataclass(frozen=True)
class Session:
    id: str
    redirect_url: str


@dataclass(frozen=True)
class Notification:
    session_id: str
    transaction_id: str
    status: str  # "paid", "failed", or "refunded" (``amount``: all that was given back of the payment)
    amount: Decimal
    currency: str


class InvalidNotification(Exception):
    """The notification is not authentic or cannot be read: it changes nothing."""


class PaymentError(Exception):
    """The provider refused (its message says why) or could not be reached (``ProviderUnavailable``)."""


class ProviderUnavailable(PaymentError):
    """No answer from the provider (network error, time-out): the request may or may not have been carried
    out. Asking again with the same idempotency key is safe; with a new one it is not."""


class PaymentProvider:
    code: str

    def create_session(
        self,
        *,
        reference: str,
        amount: Decimal,
        currency: str,
        description: str,
        return_url: str,
        cancel_url: str,
        notify_url: str,
    ) -> Session:
        raise NotImplementedError

    def parse_notification(self, request) -> Notification | None:
        """Verify the signature of an incoming notification and read it, or raise InvalidNotification;
        None for an authentic notification that concerns no payment (acknowledged, nothing applied)."""
        raise NotImplementedError

    def refund(self, *, transaction_id: str, amount: Decimal, currency: str, idempotency_key: str) -> str:
        """Refund ``amount`` of a captured payment; returns the provider's refund reference. The same
        ``idempotency_key`` again gives the same refund, never a second one. Raises ``PaymentError`` when
        the provider refuses, ``ProviderUnavailable`` when its answer is unknown."""
        raise NotImplementedError


def is_demo() -> bool:
    """A demo runs (``DEBUG`` or ``DEMO``): the demo bank may pay."""
    return settings.DEBUG or settings.DEMO


def demo_bank_pays() -> bool:
    return settings.PAYMENT_PROVIDER == "demo" and is_demo()


def get_provider(code: str | None = None) -> PaymentProvider:
    code = code or settings.PAYMENT_PROVIDER
    if code == "demo" and not is_demo():
        raise PaymentError("the demo bank pays only in a demo (DEBUG=1 or DEMO=1)")
    try:
        return import_string(PROVIDERS[code])()
    except KeyError as exc:
        raise PaymentError(f"unknown payment provider {code!r}") from exc
