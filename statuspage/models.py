import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from hub.i18n import translated
from hub.models import Role


def in_language(
    original: str, original_language: str, translations: dict, language: str | None = None
) -> str:
    """The text in the reader's language when translated, else as it was written."""
    language = (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    if language == original_language:
        return original
    return (translations or {}).get(language) or original


def new_code() -> str:
    """A public identifier, as Statuspage gives its objects (12 lowercase letters and digits)."""
    return "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(12))


def new_token() -> str:
    """The secret in a subscriber's confirmation, preferences and unsubscribe links."""
    return secrets.token_urlsafe(32)


class ComponentStatus(models.TextChoices):
    OPERATIONAL = "operational", _("Operational")
    DEGRADED = "degraded_performance", _("Degraded performance")
    PARTIAL = "partial_outage", _("Partial outage")
    MAJOR = "major_outage", _("Major outage")
    MAINTENANCE = "under_maintenance", _("Under maintenance")


SEVERITY = {
    ComponentStatus.OPERATIONAL: 0,
    ComponentStatus.MAINTENANCE: 1,
    ComponentStatus.DEGRADED: 2,
    ComponentStatus.PARTIAL: 3,
    ComponentStatus.MAJOR: 4,
}


class Retirable(models.QuerySet):
    def live(self):
        """Not retired: what the public page, the lists and the forms offer."""
        return self.filter(retired_at__isnull=True)


class ComponentGroup(models.Model):
    code = models.CharField(max_length=12, unique=True, default=new_code)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=100)
    name_de = models.CharField(_("name (German)"), max_length=100, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(default=timezone.now)
    # Retired: off the public page and the forms, kept for history (see Component.retired_at).
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = Retirable.as_manager()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return translated(self, "name")


class Component(models.Model):
    code = models.CharField(max_length=12, unique=True, default=new_code)
    slug = models.SlugField(max_length=60, unique=True)
    group = models.ForeignKey(
        ComponentGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="components"
    )
    name_fr = models.CharField(_("name (French)"), max_length=100)
    name_de = models.CharField(_("name (German)"), max_length=100, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    description_fr = models.CharField(_("description (French)"), max_length=255, blank=True)
    description_de = models.CharField(_("description (German)"), max_length=255, blank=True)
    description_en = models.CharField(_("description (English)"), max_length=255, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    status = models.CharField(
        max_length=24, choices=ComponentStatus.choices, default=ComponentStatus.OPERATIONAL
    )
    # Back-office users with one of these roles see this component's incidents as a pop-up (S4).
    audience = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Retired rather than deleted: incidents, their updates and the status history keep pointing at it (a
    # deletion would cascade through them), while the public page, the API lists and the forms leave it out.
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = Retirable.as_manager()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return translated(self, "name")

    @property
    def description(self) -> str:
        return translated(self, "description")

    @property
    def audience_labels(self) -> list[str]:
        return [str(Role(role).label) for role in self.audience if role in Role.values]


class ComponentStatusChange(models.Model):
    """The status a component had from ``started_at`` on: the history behind the uptime bars."""

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=24, choices=ComponentStatus.choices)
    started_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["started_at", "pk"]

    def __str__(self):
        return f"{self.component} {self.status} from {self.started_at:%Y-%m-%d %H:%M}"


class Playbook(models.Model):
    """What to do meanwhile (S5, P2–P6), shown with the incidents it is attached to."""

    key = models.SlugField(max_length=60, unique=True)
    title_fr = models.CharField(_("title (French)"), max_length=150)
    title_de = models.CharField(_("title (German)"), max_length=150)
    title_en = models.CharField(_("title (English)"), max_length=150)
    body_fr = models.TextField(_("text (French)"))
    body_de = models.TextField(_("text (German)"))
    body_en = models.TextField(_("text (English)"))
    position = models.PositiveIntegerField(_("position"), default=0)
    # Retired: no longer offered for new incidents; the incidents it was shown with keep it.
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = Retirable.as_manager()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.key

    def title_in(self, language: str) -> str:
        return getattr(self, f"title_{language[:2]}", "") or self.title_fr

    def body_in(self, language: str) -> str:
        return getattr(self, f"body_{language[:2]}", "") or self.body_fr


class Incident(models.Model):
    """An incident, or a scheduled maintenance (both have a timeline of updates)."""

    class Kind(models.TextChoices):
        INCIDENT = "incident", _("Incident")
        MAINTENANCE = "maintenance", _("Maintenance")

    class Status(models.TextChoices):
        INVESTIGATING = "investigating", _("Investigating")
        IDENTIFIED = "identified", _("Identified")
        MONITORING = "monitoring", _("Monitoring")
        RESOLVED = "resolved", _("Resolved")
        SCHEDULED = "scheduled", _("Scheduled")
        IN_PROGRESS = "in_progress", _("In progress")
        VERIFYING = "verifying", _("Verifying")
        COMPLETED = "completed", _("Completed")

    class Impact(models.TextChoices):
        NONE = "none", _("None")
        MINOR = "minor", _("Minor")
        MAJOR = "major", _("Major")
        CRITICAL = "critical", _("Critical")

    INCIDENT_STATUSES = ("investigating", "identified", "monitoring", "resolved")
    MAINTENANCE_STATUSES = ("scheduled", "in_progress", "verifying", "completed")
    CLOSED = ("resolved", "completed")

    code = models.CharField(max_length=12, unique=True, default=new_code)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.INCIDENT)
    name = models.CharField(_("title"), max_length=200)
    language = models.CharField(max_length=2, default="fr", help_text="the language the title was written in")
    name_translations = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices)
    impact = models.CharField(max_length=8, choices=Impact.choices, default=Impact.MINOR)
    playbooks = models.ManyToManyField(Playbook, blank=True, related_name="incidents")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(default=timezone.now)
    monitoring_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    scheduled_until = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    postmortem = models.TextField(_("postmortem"), blank=True)
    postmortem_published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "status"])]

    def __str__(self):
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED

    def name_in(self, language: str | None = None) -> str:
        return in_language(self.name, self.language, self.name_translations, language)


class IncidentComponent(models.Model):
    """A component affected by an incident, with the status the incident gives it."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="affected")
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="incident_links")
    status = models.CharField(max_length=24, choices=ComponentStatus.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "component"], name="unique_incident_component")
        ]

    def __str__(self):
        return f"{self.component}: {self.status}"


class IncidentUpdate(models.Model):
    code = models.CharField(max_length=12, unique=True, default=new_code)
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=16, choices=Incident.Status.choices)
    body = models.TextField(_("message"))
    language = models.CharField(max_length=2, default="fr")
    translations = models.JSONField(default=dict, blank=True)
    affected_components = models.JSONField(default=list, blank=True, help_text="[{code, name, old, new}]")
    created_at = models.DateTimeField(default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.incident} · {self.status}"

    def body_in(self, language: str | None = None) -> str:
        return in_language(self.body, self.language, self.translations, language)


class Subscriber(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")
        WEBHOOK = "webhook", _("Webhook")

    channel = models.CharField(max_length=8, choices=Channel.choices)
    address = models.CharField(max_length=500, help_text="email, E.164 number or URL")
    secret = models.CharField(max_length=64, blank=True, help_text="signs webhook calls")
    language = models.CharField(max_length=2, choices=settings.LANGUAGES, default="fr")
    components = models.ManyToManyField(
        Component, blank=True, related_name="subscribers", help_text="none means every component"
    )
    token = models.CharField(max_length=43, unique=True, default=new_token)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "address"],
                condition=Q(unsubscribed_at__isnull=True),
                name="unique_live_subscriber",
            )
        ]
        indexes = [models.Index(fields=["confirmed_at", "unsubscribed_at"])]

    def __str__(self):
        return f"{self.channel}:{self.address}"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class SubscriptionRequest(models.Model):
    """Someone asked to subscribe an address, or to change its subscription: nothing is created or changed
    until the address's owner confirms (the link emailed or posted to the webhook, the code texted)."""

    channel = models.CharField(max_length=8, choices=Subscriber.Channel.choices)
    address = models.CharField(max_length=500)
    language = models.CharField(max_length=2, choices=settings.LANGUAGES, default="fr")
    components = models.ManyToManyField(Component, blank=True, related_name="+")
    secret = models.CharField(max_length=64, blank=True, help_text="the webhook secret to set")
    token = models.CharField(max_length=43, unique=True, default=new_token)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    subscriber = models.ForeignKey(
        Subscriber, null=True, blank=True, on_delete=models.CASCADE, related_name="requests"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.channel}:{self.address}"


class NoticeDismissal(models.Model):
    """A back-office user closed the pop-up of an incident as of one update; a newer update shows it again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="dismissals")
    update = models.ForeignKey(IncidentUpdate, on_delete=models.CASCADE, related_name="+")
    dismissed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "incident"], name="unique_dismissal")]

    def __str__(self):
        return f"{self.user} dismissed {self.incident}"
