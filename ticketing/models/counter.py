"""The box office: stations (tills) that sell at the counter, and every sale a station sent, as it sent it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .events import Event
from .organisations import MONEY, Organisation
from .sales import Order


class Station(models.Model):
    """A box-office till of one organisation, with its device token: it sells, even offline, and syncs. A
    *kiosk* is a station customers use themselves (kiosk mode): a device pairs with it by a one-time code
    and keeps its device token in a cookie; the orders it takes name it (``Order.station``)."""

    class Kind(models.TextChoices):
        COUNTER = "counter", _("Counter")
        KIOSK = "kiosk", _("Kiosk")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="stations")
    name = models.CharField(_("name"), max_length=100)
    token_digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_sync_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.COUNTER)
    # a kiosk's one-time pairing code (only its HMAC is kept) and when it stops working; its last pairing
    pairing_digest = models.CharField(max_length=64, blank=True, db_index=True)
    pairing_expires_at = models.DateTimeField(null=True, blank=True)
    paired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Allotment(models.Model):
    """Seats a station holds for one event to sell offline: the reserved tickets of its holding order (status
    *held*, expiring when the event ends), their secrets issued in advance so offline sales print real QR
    codes and can never oversell."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="allotments")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="allotments")
    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="allotment")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["station", "event"], name="one_allotment_per_station_event")
        ]

    def __str__(self):
        return f"{self.station} · {self.event}"


class CounterSale(models.Model):
    """One sale a station made, keyed by the station's own id for it (``client_uuid``): a replay finds it.

    ``content_digest`` is the digest of what the station sent: the same id with other content is refused.
    A sale that no longer fits the event when it arrives is kept as a conflict for a manager to settle.
    """

    class Status(models.TextChoices):
        SYNCED = "synced", _("Synced")
        CONFLICT = "conflict", _("Conflict: over capacity")
        ACCEPTED = "accepted", _("Accepted over capacity")
        REFUNDED = "refunded", _("Refunded")

    class Method(models.TextChoices):
        CASH = "cash", _("Cash")
        CARD = "card", _("Card (terminal)")
        COMPLIMENTARY = "complimentary", _("Complimentary")

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="sales")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="counter_sales")
    client_uuid = models.UUIDField(unique=True)
    content_digest = models.CharField(max_length=64)
    content = models.JSONField(help_text="the sale as the station sent it")
    order = models.OneToOneField(
        Order, null=True, blank=True, on_delete=models.PROTECT, related_name="counter_sale"
    )
    method = models.CharField(max_length=16, choices=Method.choices)
    sold_at = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=16, choices=Status.choices)
    reason = models.CharField(max_length=255, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sold_at"]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self):
        return str(self.client_uuid)


class CashSession(models.Model):
    """A station's cash drawer from opening (with its float) to closing (with the cash counted): the Z report
    compares the count with the float plus the cash sales and minus the cash given back."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="cash_sessions")
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opening_float = models.DecimalField(_("float"), **MONEY)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    counted_cash = models.DecimalField(_("cash counted"), null=True, blank=True, **MONEY)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["station"], condition=models.Q(closed_at__isnull=True), name="one_open_cash_session"
            )
        ]

    def __str__(self):
        return f"{self.station} · {self.opened_at:%Y-%m-%d %H:%M}"
