"""The support desk: requests (C2) with their timeline and attachments, urgency (C4), SLA due times,
on-call pages (C3), escalations to account managers (C5), deflections and satisfaction ratings.

Other apps' rows (organisations, orders, incidents) are referred to by foreign key or by their public
reference; the desk reads them only through those apps' selectors.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.tokens import readable_code

from .storage import private_files


def new_reference() -> str:
    """A request's public reference, e.g. ``SR-7K4Q2M``."""
    return readable_code(6, prefix="SR-")


def new_token() -> str:
    return secrets.token_urlsafe(24)


class SalesChannel(models.TextChoices):
    """What the request is about (C2: "affected sales channels")."""

    ONLINE_SHOP = "online_shop", _("Online shop")
    BOX_OFFICE = "box_office", _("Box office / POS")
    KIOSK = "kiosk", _("Kiosk")
    DOOR_SCANNING = "door_scanning", _("Door scanning")
    API_WIDGET = "api_widget", _("API / widget")
    PAYOUTS = "payouts", _("Payouts / invoices")
    OTHER = "other", _("Other")


class Priority(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")
    LOW = "low", _("Low")


PRIORITY_RANK = {Priority.URGENT: 0, Priority.HIGH: 1, Priority.NORMAL: 2, Priority.LOW: 3}


class SupportRequest(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        OPEN = "open", _("Open")
        WAITING = "waiting", _("Waiting on customer")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    OPEN_STATUSES = ("new", "open", "waiting")

    reference = models.CharField(max_length=12, unique=True, default=new_reference)
    organisation = models.ForeignKey(
        "ticketing.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="support_requests",
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requester_email = models.EmailField(_("email"))
    requester_name = models.CharField(_("name"), max_length=150, blank=True)
    language = models.CharField(max_length=2, choices=settings.LANGUAGES, default="fr")
    country = models.CharField(max_length=2, help_text="the support line whose hours apply")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("description"))
    channels = models.JSONField(_("affected sales channels"), default=list, blank=True)
    moments = models.JSONField(
        _("relevant timestamps"), default=list, blank=True, help_text="ISO 8601, aware"
    )
    orders = models.JSONField(default=list, blank=True, help_text="order references of the organisation")
    links = models.JSONField(default=list, blank=True)
    transcript = models.JSONField(  # the chatbot conversation that created the request, purged after a while
        default=list, blank=True, help_text='[["user" or "bot", "text"], …]'
    )

    # Triage (C4): what the rules said, and an agent's override.
    urgent = models.BooleanField(default=False)
    priority = models.CharField(max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    reasons = models.JSONField(default=list, blank=True)
    triaged_urgent = models.BooleanField(default=False, help_text="the rules' verdict, kept after overrides")
    override_reason = models.CharField(max_length=500, blank=True)

    status = models.CharField(max_length=8, choices=Status.choices, default=Status.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # SLA (counted in the business hours of the request's support line; paused while waiting).
    first_response_due = models.DateTimeField(null=True, blank=True)
    resolution_due = models.DateTimeField(null=True, blank=True)
    first_responded_at = models.DateTimeField(null=True, blank=True)
    waiting_since = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)

    reply_token = models.CharField(max_length=40, unique=True, default=new_token)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "urgent", "first_response_due"], name="support_queue"),
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["status", "resolution_due"], name="support_sla_due"),
        ]

    def __str__(self):
        return f"{self.reference} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def channel_labels(self) -> list[str]:
        """The affected channels as people read them (the stored values are codes)."""
        return [SalesChannel(c).label if c in SalesChannel.values else c for c in self.channels]

    @property
    def thread_id(self) -> str:
        """The Message-ID that every email about this request refers to (RFC 5322 threading)."""
        domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "guichet"
        return f"<{self.reference.lower()}@{domain}>"


class TimelineEntry(models.Model):
    """One step of a request's life: messages both ways, internal notes, status changes, pages, escalation."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Request received")
        MESSAGE_IN = "message_in", _("Message from the requester")
        MESSAGE_OUT = "message_out", _("Reply")
        NOTE = "note", _("Internal note")
        STATUS = "status", _("Status changed")
        ASSIGNED = "assigned", _("Assigned")
        TRIAGE = "triage", _("Urgency changed")
        PAGED = "paged", _("On-call paged")
        ACKNOWLEDGED = "acknowledged", _("Page acknowledged")
        ESCALATED = "escalated", _("Escalated to the account manager")
        HANDED_BACK = "handed_back", _("Handed back to support")
        INCIDENT = "incident", _("Linked to a status incident")
        SLA = "sla", _("SLA")
        RATED = "rated", _("Rated")

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_label = models.CharField(max_length=150, blank=True)
    body = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    message_id = models.CharField(max_length=255, blank=True, help_text="of the email it was sent or came as")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.request.reference} {self.kind}"

    @property
    def after_label(self) -> str:
        """What the entry changed to, as people read it: a status by its name, not its stored code."""
        after = self.data.get("after", "")
        if self.kind == self.Kind.STATUS and after in SupportRequest.Status.values:
            return SupportRequest.Status(after).label
        return after

    @property
    def internal(self) -> bool:
        """Seen by support staff only (never by the requester)."""
        return self.kind not in (
            self.Kind.CREATED,
            self.Kind.MESSAGE_IN,
            self.Kind.MESSAGE_OUT,
            self.Kind.STATUS,
        )


PUBLIC_KINDS = (
    TimelineEntry.Kind.CREATED,
    TimelineEntry.Kind.MESSAGE_IN,
    TimelineEntry.Kind.MESSAGE_OUT,
    TimelineEntry.Kind.STATUS,
)


class Attachment(models.Model):
    """A screenshot, video or error log (C2), kept outside the public media and served through a check."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="attachments")
    entry = models.ForeignKey(
        TimelineEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    file = models.FileField(upload_to="%Y/%m/", storage=private_files)
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.name


class IncidentLink(models.Model):
    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="incident_links")
    incident = models.ForeignKey("statuspage.Incident", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True, help_text="when its resolution was answered")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "incident"], name="unique_incident_link")]

    def __str__(self):
        return f"{self.request.reference} ~ incident {self.incident_id}"


class Escalation(models.Model):
    """C5: a critical request escalated to the organisation's account manager — once per request."""

    request = models.OneToOneField(SupportRequest, on_delete=models.CASCADE, related_name="escalation")
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    automatic = models.BooleanField(default=False, help_text="raised by the SLA sweep on a breach")
    created_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(null=True, blank=True)
    handed_back_at = models.DateTimeField(null=True, blank=True)
    handback_note = models.TextField(blank=True)

    def __str__(self):
        return f"{self.request.reference} → {self.manager}"


class OnCallShift(models.Model):
    """Who is paged for urgent requests out of hours (C3), with a backup when they do not acknowledge."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    backup = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    phone = models.CharField(max_length=20, help_text="E.164 mobile of the person on call")
    backup_phone = models.CharField(max_length=20, help_text="E.164 mobile of the backup")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.user} {self.starts_at:%Y-%m-%d %H:%M} → {self.ends_at:%Y-%m-%d %H:%M}"


class Page(models.Model):
    """One on-call page of one request: the first person, then the backup. Each step exists once."""

    class Step(models.TextChoices):
        PRIMARY = "primary", _("On call")
        BACKUP = "backup", _("Backup")

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="pages")
    step = models.CharField(max_length=8, choices=Step.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    phone = models.CharField(max_length=20)
    token = models.CharField(max_length=40, unique=True, default=new_token, help_text="the acknowledge link")
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["request", "step"], name="one_page_per_step")]

    def __str__(self):
        return f"{self.request.reference} {self.step} → {self.user}"


class Deflection(models.Model):
    """A help article opened from the request form by someone who then left without sending (counted)."""

    language = models.CharField(max_length=2)
    article_key = models.CharField(max_length=80)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"{self.language}:{self.article_key}"


class Rating(models.Model):
    """The requester's satisfaction once the request is resolved (1 to 5, with a comment)."""

    request = models.OneToOneField(SupportRequest, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_1_to_5")]

    def __str__(self):
        return f"{self.request.reference}: {self.score}"
