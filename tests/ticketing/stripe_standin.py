"""A local stand-in for the few Stripe API endpoints Guichet calls (Checkout Sessions, Refunds), so the
official ``stripe`` library talks real HTTP to it (``STRIPE_API_BASE``), and Stripe's webhook signature
scheme to sign the events a test sends. It honours idempotency keys as Stripe does: the same key, the same
answer."""

import hashlib
import hmac
import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

REFUSED_INTENT = "pi_already_refunded"  # a refund of it is refused, as Stripe refuses a second full refund


class StripeStandIn:
    def __init__(self):
        self.requests: list[dict] = []  # each call: path, headers, form fields
        self.refunds: list[dict] = []  # refunds made (one per idempotency key)
        self.refund_delay = 0.0  # seconds Stripe takes to answer a refund (for races)
        self._answers: dict[str, tuple[int, dict]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                fields = dict(parse_qsl(body, keep_blank_values=True))
                status, answer = standin.answer(self.path, dict(self.headers), fields)
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, path: str, headers: dict, fields: dict) -> tuple[int, dict]:
        key = headers.get("Idempotency-Key", "")
        with self._lock:
            self.requests.append({"path": path, "headers": headers, "fields": fields})
            if key and key in self._answers:
                return self._answers[key]
            n = next(self._ids)
            if path == "/v1/checkout/sessions":
                answer = (
                    200,
                    {
                        "id": f"cs_test_{n}",
                        "object": "checkout.session",
                        "url": f"https://checkout.stripe.com/c/pay/cs_test_{n}",
                        "amount_total": int(fields["line_items[0][price_data][unit_amount]"]),
                        "currency": fields["line_items[0][price_data][currency]"],
                        "metadata": {"reference": fields.get("metadata[reference]", "")},
                    },
                )
            elif path == "/v1/refunds" and fields.get("payment_intent") == REFUSED_INTENT:
                message = "Charge ch_1 has already been refunded."
                answer = 400, {"error": {"type": "invalid_request_error", "message": message}}
            elif path == "/v1/refunds":
                time.sleep(self.refund_delay)
                refund = {"id": f"re_test_{n}", "object": "refund", "status": "succeeded", **fields}
                self.refunds.append(refund)
                answer = 200, refund
            else:
                answer = 404, {"error": {"type": "invalid_request_error", "message": f"no {path}"}}
            if key:
                self._answers[key] = answer
            return answer

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def signed(event: dict, secret: str, *, timestamp: int | None = None) -> tuple[bytes, str]:
    """The event's body and its ``Stripe-Signature`` header, as Stripe signs webhooks."""
    body = json.dumps(event).encode()
    timestamp = timestamp or int(time.time())
    signature = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return body, f"t={timestamp},v1={signature}"


def session_event(
    kind: str, session_id: str, *, amount: int, currency: str = "eur", paid: bool = True
) -> dict:
    """A ``checkout.session.*`` event as Stripe sends it (the fields Guichet reads, and a few more)."""
    return {
        "id": f"evt_{session_id}_{kind}",
        "object": "event",
        "type": f"checkout.session.{kind}",
        "data": {
            "object": {
                "id": session_id,
                "object": "checkout.session",
                "amount_total": amount,
                "currency": currency,
                "payment_intent": f"pi_{session_id}",
                "payment_status": "paid" if paid else "unpaid",
            }
        },
    }


def charge_refunded(payment_intent: str, *, amount: int, refunded: int, currency: str = "eur") -> dict:
    """A ``charge.refunded`` event: ``refunded`` is all that was given back of the charge so far."""
    return {
        "id": f"evt_{payment_intent}_refunded_{refunded}",
        "object": "event",
        "type": "charge.refunded",
        "data": {
            "object": {
                "id": f"ch_{payment_intent}",
                "object": "charge",
                "amount": amount,
                "amount_refunded": refunded,
                "currency": currency,
                "payment_intent": payment_intent,
                "refunded": refunded == amount,
            }
        },
    }
