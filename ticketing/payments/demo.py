"""Guichet's side of the demo bank: the same integration a real provider would need."""

import json
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.urls import reverse

from . import InvalidNotification, Notification, PaymentError, PaymentProvider, Session, demobank


class DemoProvider(PaymentProvider):
    code = "demo"

    def create_session(self, *, reference, amount, currency, description, return_url, cancel_url, notify_url):
        session_id, token = demobank.open_session(
            merchant=reference,
            amount=amount,
            currency=currency,
            description=description,
            return_url=return_url,
            cancel_url=cancel_url,
            notify_url=notify_url,
        )
        return Session(session_id, settings.SITE_URL + reverse("demobank_pay", args=[token]))

    def parse_notification(self, request) -> Notification:
        body = request.body
        if not demobank.verify(body, request.headers.get(demobank.SIGNATURE_HEADER, "")):
            raise InvalidNotification("bad or missing signature")
        try:
            data = json.loads(body)
            return Notification(
                session_id=str(data["session_id"]),
                transaction_id=str(data["transaction_id"]),
                status=str(data["status"]),
                amount=Decimal(str(data["amount"])),
                currency=str(data["currency"]),
            )
        except (ValueError, KeyError, TypeError, InvalidOperation) as exc:
            raise InvalidNotification(f"unreadable notification: {exc!r}") from exc

    def refund(self, *, transaction_id, amount, currency, idempotency_key) -> str:
        try:
            return demobank.refund(
                transaction_id=transaction_id, amount=amount, idempotency_key=idempotency_key
            )
        except ValueError as exc:
            raise PaymentError(str(exc)) from exc
