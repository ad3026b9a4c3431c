"""Domain events of the ticketing engine, for the apps above it (the support desk listens to them).

Each signal is sent by the service that causes it once its transaction has committed (never when it rolls
back), with ``sender`` set to the model class it is about and keyword arguments that are ids and plain
values only, never model instances: a receiver runs outside the transaction, reads the database as
committed, and can hand the values to a task as they are. A receiver that raises is logged (Django's
``send_robust``) and changes nothing for the sender or the other receivers; slow work belongs in a task.
Receivers take ``**kwargs`` so that arguments can be added later::

    @receiver(ticketing.signals.order_refunded)
    def note_refund(sender, *, organisation_id, order_reference, amount, **kwargs): ...

Amounts are ``Decimal`` incl. VAT in ``currency``; datetimes are aware.
"""

from django.db import transaction
from django.dispatch import Signal

order_paid = Signal()
"""An order is paid (or was free): its tickets are valid and emailed. Sent once per order, also for a
payment that arrived after the order had expired when its seats were still free. Sender: ``Order``.
Arguments: ``organisation_id``, ``event_id``, ``order_id`` (int); ``order_reference``, ``buyer_email``,
``currency`` (str); ``total`` (Decimal); ``tickets`` (int, how many); ``paid_at`` (datetime)."""

order_refunded = Signal()
"""A paid order is cancelled and its money given back by the payment provider, or at the box-office counter
for a counter sale (a free order is cancelled, with ``amount`` 0): its tickets no longer let anyone in. Sent
once per order. Sender: ``Order``. Arguments: ``organisation_id``, ``event_id``, ``order_id`` (int);
``order_reference``, ``buyer_email``, ``currency``, ``reason`` (str); ``amount`` (Decimal); ``refunded_at``
(datetime)."""

event_cancelled = Signal()
"""An event is cancelled: its sales stop and its paid orders are being refunded in the background (each
refund sends ``order_refunded``). Sender: ``Event``. Arguments: ``organisation_id``, ``event_id`` (int);
``title`` (str, in the language of the cancellation), ``reason`` (str); ``starts_at``, ``cancelled_at``
(datetime); ``paid_orders`` (int, the orders to refund)."""

seller_activated = Signal()
"""A seller space's phone number is verified (by SMS code or by an operator's call): the organisation may
publish and sell. Sender: ``Organisation``. Arguments: ``organisation_id`` (int); ``organisation_name``,
``method`` (str, ``"sms"`` or ``"call"``); ``activated_at`` (datetime)."""


def order_arguments(order) -> dict:
    """The arguments every order signal has, from ``order``."""
    return {
        "organisation_id": order.organisation_id,
        "event_id": order.event_id,
        "order_id": order.pk,
        "order_reference": order.reference,
        "buyer_email": order.buyer_email,
        "currency": order.currency,
    }


def send_after_commit(signal: Signal, sender, **arguments) -> None:
    """Send ``signal`` once the current transaction commits (at once outside a transaction), never on
    rollback."""
    transaction.on_commit(lambda: signal.send_robust(sender, **arguments))
