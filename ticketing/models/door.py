"""Admission at the door: scanner devices, every scan, and the listings sent around the end of sales."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .events import Event
from .organisations import Organisation
from .sales import Ticket


class ScanDevice(models.Model):
    """A scanner app's credential: it can only scan, and only tickets of its organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="scan_devices")
    name = models.CharField(_("name"), max_length=100)
    token_digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class Scan(models.Model):
    """One attempt at the door, failed ones included; an admission is the scan that let someone in."""

    class Direction(models.TextChoices):
        ENTRY = "entry", _("Entry")
        EXIT = "exit", _("Exit")
        MANUAL = "manual", _("Manual change")

    class Result(models.TextChoices):
        ADMITTED = "admitted", _("Admitted")
        ALREADY_INSIDE = "already_inside", _("Already inside")
        EXITED = "exited", _("Exit pass")
        NOT_INSIDE = "not_inside", _("Not inside")
        UNKNOWN = "unknown", _("Unknown code")
        WRONG_EVENT = "wrong_event", _("Wrong event")
        CANCELLED = "cancelled", _("Cancelled ticket")
        OFFLINE = "offline", _("Sold offline, not yet synced")
        CHANGED = "changed", _("Changed by hand")

    # Each scan writes every index of this table: the two below serve these keys too (no index of their own).
    organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.CASCADE, related_name="scans", db_index=False
    )
    ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.CASCADE, related_name="scans", db_index=False
    )
    code = models.CharField(max_length=64, blank=True, help_text="what was read, for unknown codes")
    direction = models.CharField(max_length=8, choices=Direction.choices)
    result = models.CharField(max_length=16, choices=Result.choices)
    previous_presence = models.CharField(max_length=8, blank=True)
    gate = models.CharField(max_length=64, blank=True)
    device = models.ForeignKey(
        ScanDevice, null=True, blank=True, on_delete=models.SET_NULL, related_name="scans"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    nonce = models.CharField(max_length=64, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nonce"], condition=Q(nonce__isnull=False), name="unique_scan_nonce"
            )
        ]
        indexes = [
            models.Index(fields=["ticket", "-created_at"]),
            models.Index(fields=["organisation", "-created_at"]),
        ]

    def __str__(self):
        return f"{self.get_result_display()} {self.code or self.ticket_id}"


class ListingDispatch(models.Model):
    """The listing of one event went out by email: at most once, even with two schedulers (T2)."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="listing_dispatch")
    due_at = models.DateTimeField(help_text="the sales end")
    dispatched_at = models.DateTimeField(default=timezone.now)
    delay_seconds = models.PositiveIntegerField(
        default=0, help_text="how late, beyond the ±10 minutes window"
    )
    recipient = models.EmailField()
    tickets = models.PositiveIntegerField()

    def __str__(self):
        return f"{self.event} → {self.recipient}"

    @property
    def delay_minutes(self) -> int:
        return round(self.delay_seconds / 60)
