from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatuspageConfig(AppConfig):
    name = "statuspage"
    verbose_name = _("Status page")

    def ready(self):
        from hub import navigation
        from hub.models import Role

        navigation.register(
            label=_("Status page"),
            url_name="statuspage:dashboard",
            roles={Role.OPERATOR},
            icon="◉",
            order=100,
        )
        navigation.register_shell_slot("statuspage:notice")
