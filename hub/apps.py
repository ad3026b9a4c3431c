from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


def email_tracked(sender, *, event, esp_name, **kwargs) -> None:
    """An email provider's tracking event (``anymail.signals.tracking``) on the outbox."""
    from .services import record_email_event

    record_email_event(
        esp=esp_name.lower(),
        event_type=event.event_type or "",
        message_id=event.message_id or "",
        recipient=event.recipient or "",
        detail=event.reject_reason or event.description or "",
    )


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = "Guichet hub"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from . import checks, navigation, tokens  # noqa: F401 - checks registers the deploy checks

        autodiscover_modules("audit")  # every app's audit action codes, for the log and its filter
        from anymail.signals import tracking

        tracking.connect(email_tracked, dispatch_uid="hub-email-tracking")
        from .models import Role

        everyone = set(Role.values)
        navigation.register(
            label=_("Overview"),
            url_name="hub:dashboard",
            roles=everyone - {Role.DOOR_STAFF},
            icon="◧",
            order=0,
        )
        navigation.register(
            label=_("Outbox"), url_name="hub:outbox", roles={Role.OPERATOR}, icon="✉", order=900
        )
        navigation.register(
            label=_("Audit log"), url_name="hub:audit", roles={Role.OPERATOR}, icon="☰", order=910
        )
        navigation.register(
            label=_("Two-factor sign-in"),
            url_name="hub:two_factor",
            roles=everyone - {Role.DOOR_STAFF},
            icon="⚷",
            order=880,
        )
        navigation.register(
            label=_("API tokens"),
            url_name="hub:api_tokens",
            roles=set(tokens.ROLES),
            icon="⌘",
            order=890,
        )
        if settings.SMS_BACKEND == "console":
            navigation.register(
                label=_("Test SMS"), url_name="hub:console_sms", roles={Role.OPERATOR}, icon="✆", order=920
            )
