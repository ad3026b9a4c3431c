from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketingConfig(AppConfig):
    name = "ticketing"
    verbose_name = _("Ticketing")

    def ready(self):
        from hub import navigation
        from hub.models import Role

        from . import checks  # noqa: F401 - registers the deploy check
        from .panels import seller_status
        from .permissions import DOOR_ROLES
        from .selectors import account_ids

        navigation.register_identity(account_ids)
        navigation.register(
            label=_("Events"),
            url_name="ticketing:events",
            roles={Role.SELLER_ADMIN},
            icon="▤",
            order=10,
            also={"ticketing:order_detail"},  # an order belongs to its event's pages
        )
        navigation.register(
            label=_("Scanner"),
            url_name="ticketing:scanner",
            roles=set(DOOR_ROLES),
            icon="◎",
            order=5,
        )
        navigation.register(
            label=_("Sell at the counter"),
            url_name="pos",
            roles={Role.BOX_OFFICE, Role.SELLER_ADMIN},
            icon="⌧",
            order=6,
        )
        navigation.register(
            label=_("Scanner tokens"),
            url_name="ticketing:devices",
            roles={Role.SELLER_ADMIN},
            icon="✱",
            order=25,
        )
        navigation.register(
            label=_("Box office"),
            url_name="ticketing:box_office",
            roles={Role.SELLER_ADMIN, Role.BOX_OFFICE},
            icon="▣",
            order=15,
        )
        navigation.register(
            label=_("Marketing tools"),  # kiosks and event posters
            url_name="ticketing:marketing",
            roles={Role.SELLER_ADMIN},
            icon="✦",
            order=18,
        )
        navigation.register(
            label=_("Members"), url_name="ticketing:members", roles={Role.SELLER_ADMIN}, icon="☺", order=20
        )
        navigation.register(
            label=_("Statements"),
            url_name="ticketing:statements",
            roles={Role.SELLER_ADMIN},
            icon="€",
            order=30,
        )
        navigation.register(
            label=_("Emergency sheet"),
            url_name="ticketing:emergency_sheet",
            roles={Role.SELLER_ADMIN, Role.BOX_OFFICE},
            icon="⚑",
            order=35,
        )
        navigation.register(
            label=_("Seller spaces"), url_name="ticketing:sellers", roles={Role.OPERATOR}, icon="⌂", order=200
        )
        navigation.register(
            label=_("Payouts"), url_name="ticketing:payouts", roles={Role.OPERATOR}, icon="⇄", order=210
        )
        navigation.register_panel(
            template="ticketing/panels/seller_status.html",
            roles={Role.SELLER_ADMIN},
            context=seller_status,
            order=0,
        )
