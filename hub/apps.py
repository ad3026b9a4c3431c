from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = "Guichet hub"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from . import navigation, tokens

        autodiscover_modules("audit")  # every app's audit action codes, for the log and its filter
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
