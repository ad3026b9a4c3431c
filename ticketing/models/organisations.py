"""Seller spaces, their members and invitations."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.models import Role
from hub.tokens import readable_code

MONEY = {"max_digits": 10, "decimal_places": 2}
RATE = {"max_digits": 6, "decimal_places": 4}
MEMBER_ROLES = (Role.SELLER_ADMIN, Role.BOX_OFFICE, Role.DOOR_STAFF)  # the roles held in an organisation
MEMBER_ROLE_CHOICES = [(role.value, role.label) for role in MEMBER_ROLES]


class Currency(models.TextChoices):
    """What a seller space sells in: its prices, orders, payments, refunds and payouts."""

    EUR = "EUR", _("Euro (€)")
    CHF = "CHF", _("Swiss franc (CHF)")
    GBP = "GBP", _("Pound sterling (£)")


COUNTRY_CURRENCY = {"CH": Currency.CHF, "GB": Currency.GBP}  # the rest of the countries served use the euro


def new_account_id() -> str:
    """A seller space's public account ID, e.g. ``GU-7K4Q2M``: stable, short, easy to read out."""
    return readable_code(6, prefix="GU-")


class Organisation(models.Model):
    """A seller space: an organiser or venue that sells tickets."""

    class Status(models.TextChoices):
        PENDING_VERIFICATION = "pending_verification", _("Waiting for phone verification")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")

    name = models.CharField(_("organisation name"), max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    # C2: the public account ID that support asks for, shown next to the user's initials.
    account_id = models.CharField(_("account ID"), max_length=9, unique=True, default=new_account_id)
    account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_organisations",
        verbose_name=_("account manager"),
    )
    legal_name = models.CharField(_("legal name"), max_length=200)
    registration_number = models.CharField(_("company registration number"), max_length=64)
    vat_number = models.CharField(_("VAT number"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=255)
    postal_code = models.CharField(_("postal code"), max_length=16)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=2)
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(_("contact phone"), max_length=20, help_text="E.164")
    # Every amount of the space is in it; fixed once it has an order (``services.sellers.set_currency``).
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR)
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
