"""Orders, tickets, payments, refunds and the payouts they add up to."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .events import Category, Event
from .organisations import MONEY, RATE, Organisation


class Order(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        COUNTER = "counter", _("Box office")
        KIOSK = "kiosk", _("Kiosk")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting payment")
        HELD = "held", _("Held for a box-office station")  # its tickets are a station's offline allotment
        PAID = "paid", _("Paid")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")
        REFUNDED = "refunded", _("Refunded")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="orders")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="orders")
    reference = models.CharField(max_length=16, unique=True)
    buyer_email = models.EmailField(_("email"), db_index=True)
    language = models.CharField(max_length=8, default="fr")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.ONLINE)
    station = models.ForeignKey(  # the kiosk that took the order (kiosk orders only)
        "Station", null=True, blank=True, on_delete=models.PROTECT, related_name="kiosk_orders"
    )
    total = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3, default="EUR")
    commission_excl_vat = models.DecimalField(**MONEY, default=Decimal("0.00"))
    commission_vat = models.DecimalField(**MONEY, default=Decimal("0.00"))
    refunded_amount = models.DecimalField(**MONEY, default=Decimal("0.00"))
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["event", "status"]), models.Index(fields=["status", "expires_at"])]

    def __str__(self):
        return self.reference


class Presence(models.TextChoices):
    ABSENT = "absent", _("Not present")
    INSIDE = "inside", _("Present")
    OUT = "out", _("Temporarily out")


class Ticket(models.Model):
    class Status(models.TextChoices):
        RESERVED = "reserved", _("Reserved")
        VALID = "valid", _("Valid")
        VOID = "void", _("Void")  # the order expired or was cancelled before payment
        REFUNDED = "refunded", _("Refunded")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="tickets")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="tickets")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="tickets")
    number = models.CharField(max_length=24, unique=True)
    secret = models.CharField(max_length=64, unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    price = models.DecimalField(**MONEY)
    vat_rate = models.DecimalField(**RATE)
    commission_excl_vat = models.DecimalField(**MONEY, default=Decimal("0.00"))
    commission_vat = models.DecimalField(**MONEY, default=Decimal("0.00"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RESERVED)
    # At the door (T7–T10): where the ticket holder is, and their first admission.
    presence = models.CharField(max_length=8, choices=Presence.choices, default=Presence.ABSENT)
    presence_changed_at = models.DateTimeField(null=True, blank=True)
    first_entry_at = models.DateTimeField(null=True, blank=True)
    first_entry_gate = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["number"]
        indexes = [
            # Not the presence: a scan changes only unindexed columns, so PostgreSQL updates the row within
            # its page (HOT, room left by the table's fillfactor, migration 0014) and writes no index.
            models.Index(fields=["event", "status"]),
            models.Index(fields=["category", "status"]),
            models.Index(fields=["event", "last_name", "first_name"]),
        ]

    def __str__(self):
        return self.number


class Payment(models.Model):
    class Status(models.TextChoices):
        CREATED = "created", _("Started")
        PAID = "paid", _("Paid")
        REFUNDED = "refunded", _("Refunded")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(max_length=32)
    session_id = models.CharField(max_length=255, unique=True)
    transaction_id = models.CharField(max_length=255, blank=True)
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CREATED)
    created_at = models.DateTimeField(default=timezone.now)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "transaction_id"],
                condition=~Q(transaction_id=""),
                name="unique_transaction",
            )
        ]

    def __str__(self):
        return f"{self.provider} {self.session_id}"


class Refund(models.Model):
    """A refund asked of the payment provider, recorded before the call (see ``services.refunds``)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Asked, outcome not known yet")
        SUCCEEDED = "succeeded", _("Refunded")
        FAILED = "failed", _("Refused by the payment provider")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    ticket = models.ForeignKey(  # the one ticket given back; None: the whole payment (what is left of it)
        Ticket, null=True, blank=True, on_delete=models.PROTECT, related_name="refunds"
    )
    amount = models.DecimalField(**MONEY)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    idempotency_key = models.CharField(max_length=100, unique=True)
    provider_reference = models.CharField(max_length=255, blank=True)
    failure = models.CharField(max_length=500, blank=True, help_text="the provider's answer, when it refused")
    reason = models.CharField(max_length=255, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True, help_text="a request is asking the provider")
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(  # so a refund asked again reuses its key (see services.refunds)
                fields=["payment"], condition=Q(status="pending"), name="one_pending_refund_per_payment"
            ),
            models.UniqueConstraint(
                fields=["ticket"],
                condition=Q(status__in=["pending", "succeeded"]),
                name="one_refund_per_ticket",
            ),
        ]

    def __str__(self):
        return f"{self.amount} ← {self.payment}"


class Settlement(models.Model):
    """What Guichet owes an organiser for one ended event, due 15 days after it (T6)."""

    class Status(models.TextChoices):
        COMPUTED = "computed", _("Computed")
        APPROVED = "approved", _("Approved")
        PAID = "paid", _("Paid")

    event = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="settlement")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="settlements")
    gross_sales = models.DecimalField(**MONEY)
    refunds = models.DecimalField(**MONEY)
    commission_excl_vat = models.DecimalField(**MONEY)
    commission_vat = models.DecimalField(**MONEY)
    net_payout = models.DecimalField(**MONEY)
    currency = models.CharField(
        max_length=3, default="EUR"
    )  # the organisation's (every figure above is in it)
    tickets_sold = models.PositiveIntegerField()
    due_date = models.DateField(db_index=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.COMPUTED)
    computed_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    payout_reference = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["due_date"]

    def __str__(self):
        return f"{self.event} · {self.net_payout}"

    @property
    def commission(self) -> Decimal:
        return self.commission_excl_vat + self.commission_vat
