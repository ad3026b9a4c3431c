"""Events and their ticket categories."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.i18n import translated

from .organisations import MONEY, RATE, Organisation


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
