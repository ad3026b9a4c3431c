import json

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    email = models.EmailField(_("email address"), blank=True, db_index=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="fr")
    # Staff who are paged or told of escalations by SMS (account managers, support on call); E.164.
    mobile = models.CharField(_("mobile number"), max_length=20, blank=True)


class Role(models.TextChoices):
    OPERATOR = "operator", _("Operator")
    SUPPORT_AGENT = "support_agent", _("Support agent")
    ACCOUNT_MANAGER = "account_manager", _("Account manager")
    SELLER_ADMIN = "seller_admin", _("Seller admin")
    BOX_OFFICE = "box_office", _("Box-office staff")
    DOOR_STAFF = "door_staff", _("Door staff")


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_user_role")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"


class AuditEntry(models.Model):
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=100, db_index=True)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=255, blank=True)
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.target_label}"

    @property
    def data_json(self) -> str:
        return json.dumps(self.data, ensure_ascii=False, cls=DjangoJSONEncoder)


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    WEBHOOK = "webhook", _("Webhook")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SUPPRESSED = "suppressed", _("Suppressed")


class OutboundMessage(models.Model):
    """One email, SMS or webhook call to send, written in the transaction that causes it."""

    channel = models.CharField(max_length=16, choices=Channel.choices)
    idempotency_key = models.CharField(max_length=255, unique=True)
    recipient = models.CharField(max_length=2000, help_text="email address, E.164 number or URL")
    subject = models.CharField(max_length=998, blank=True)
    body = models.TextField(blank=True)
    html = models.TextField(blank=True)
    options = models.JSONField(default=dict, blank=True, help_text="from, reply-to, headers, webhook event")
    secret = models.CharField(max_length=255, blank=True, help_text="webhook signing secret")
    sensitive = models.BooleanField(
        default=False, help_text="carries a credential (sign-in link, code): never shown to operators"
    )

    status = models.CharField(max_length=16, choices=MessageStatus.choices, default=MessageStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, null=True, blank=True, db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    provider_id = models.CharField(max_length=255, blank=True, db_index=True)
    delivery_status = models.CharField(max_length=32, blank=True, help_text="as reported by the provider")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(
        null=True, blank=True, help_text="when the body, HTML and attachments of the sent message went"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(
                fields=["sent_at"],
                condition=models.Q(status="sent", purged_at__isnull=True),
                name="outbox_to_purge",
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.recipient} ({self.get_status_display()})"


class OutboundAttachment(models.Model):
    message = models.ForeignKey(OutboundMessage, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=255)
    content = models.BinaryField()
    inline_id = models.CharField(max_length=255, blank=True, help_text="Content-ID for inline images")

    def __str__(self):
        return self.filename


class Suppression(models.Model):
    """An address or number that opted out or bounced: nothing is ever sent to it."""

    channel = models.CharField(max_length=16, choices=Channel.choices)
    address = models.CharField(max_length=320)
    reason = models.CharField(max_length=255)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "address"], name="unique_suppression")]

    def __str__(self):
        return f"{self.channel}:{self.address}"


class ConsoleSms(models.Model):
    """What the console SMS gateway would have sent: shown to operators in the demo."""

    class Kind(models.TextChoices):
        MESSAGE = "message", _("Message")
        VERIFICATION = "verification", _("Verification code")

    to = models.CharField(max_length=32)
    body = models.TextField()
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.MESSAGE)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.to}: {self.body[:40]}"


class ConsoleVerification(models.Model):
    """A phone verification started on the console gateway (Twilio Verify keeps its own)."""

    phone = models.CharField(max_length=32, unique=True)
    code_digest = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)

    def __str__(self):
        return self.phone


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 digest is stored; the token is shown once, at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="guichet_api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.prefix}… ({self.name})"

    @property
    def state(self) -> str:
        """``revoked``, ``expired`` or ``active``."""
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= timezone.now() else "active"
