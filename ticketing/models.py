from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.i18n import translated
from hub.models import Role

MONEY = {"max_digits": 10, "decimal_places": 2}
RATE = {"max_digits": 6, "decimal_places": 4}
MEMBER_ROLES = (Role.SELLER_ADMIN, Role.BOX_OFFICE, Role.DOOR_STAFF)  # the roles held in an organisation
MEMBER_ROLE_CHOICES = [(role.value, role.label) for role in MEMBER_ROLES]


class Organisation(models.Model):
    """A seller space: an organiser or venue that sells tickets."""

    class Status(models.TextChoices):
        PENDING_VERIFICATION = "pending_verification", _("Waiting for phone verification")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")

    name = models.CharField(_("organisation name"), max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    legal_name = models.CharField(_("legal name"), max_length=200)
    registration_number = models.CharField(_("company registration number"), max_length=64)
    vat_number = models.CharField(_("VAT number"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=255)
    postal_code = models.CharField(_("postal code"), max_length=16)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=2)
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(_("contact phone"), max_length=20, help_text="E.164")
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.PENDING_VERIFICATION)
    verified_at = models.DateTimeField(null=True, blank=True)
    verification_method = models.CharField(max_length=16, blank=True)  # "sms" or "call"
    verification_sent_at = models.DateTimeField(null=True, blank=True)
    suspended_reason = models.CharField(max_length=255, blank=True)
    # Commission schedule (T5); the defaults come from settings when the space is created.
    commission_percent = models.DecimalField(**RATE)
    commission_fixed = models.DecimalField(**MONEY)
    commission_minimum = models.DecimalField(**MONEY)
    commission_vat_rate = models.DecimalField(**RATE)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Membership(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=MEMBER_ROLE_CHOICES)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="unique_membership")]

    def __str__(self):
        return f"{self.user} @ {self.organisation} ({self.role})"


class Invitation(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=MEMBER_ROLE_CHOICES)
    token_digest = models.CharField(max_length=64, unique=True)  # hub.tokens.digest of the link's token
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.organisation}"


class Event(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="events")
    slug = models.SlugField(max_length=80)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    title_de = models.CharField(_("title (German)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_de = models.TextField(_("description (German)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    venue = models.CharField(_("venue"), max_length=200)
    venue_address = models.CharField(_("venue address"), max_length=255, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Paris")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    sales_start = models.DateTimeField(_("sales start"))
    sales_end = models.DateTimeField(_("sales end"))
    capacity = models.PositiveIntegerField(_("capacity"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="unique_event_slug"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(sales_end__gt=models.F("sales_start")), name="event_sales_window"
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return translated(self, "title")

    @property
    def description(self) -> str:
        return translated(self, "description")

    @property
    def has_ended(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def display_status(self) -> str:
        if self.status == self.Status.PUBLISHED and self.has_ended:
            return _("Ended")
        return self.get_status_display()

    def on_sale(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.organisation.is_active
            and self.sales_start <= now < self.sales_end
        )


class Category(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="categories")
    name_fr = models.CharField(_("name (French)"), max_length=120, blank=True)
    name_de = models.CharField(_("name (German)"), max_length=120, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    price = models.DecimalField(_("price incl. VAT"), **MONEY)
    vat_rate = models.DecimalField(_("VAT rate"), **RATE, default=Decimal("0.055"))
    quota = models.PositiveIntegerField(_("quota"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = "categories"
        constraints = [models.CheckConstraint(condition=Q(price__gte=0), name="category_price_not_negative")]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return translated(self, "name")


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting payment")
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
            models.Index(fields=["event", "status", "presence"]),
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
            models.UniqueConstraint(
                fields=["payment"],
                condition=Q(status__in=["pending", "succeeded"]),
                name="one_open_or_made_refund_per_payment",
            )
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
        CHANGED = "changed", _("Changed by hand")

    organisation = models.ForeignKey(Organisation, null=True, on_delete=models.CASCADE, related_name="scans")
    ticket = models.ForeignKey(Ticket, null=True, blank=True, on_delete=models.CASCADE, related_name="scans")
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
