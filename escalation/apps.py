from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EscalationConfig(AppConfig):
    name = "escalation"
    verbose_name = _("Support desk")

    def ready(self):
        from anymail.signals import inbound

        from hub import navigation, signals
        from hub.models import Role
        from statuspage.signals import incident_resolved as status_incident_resolved

        from . import audit  # noqa: F401 - registers the audit codes
        from .receivers import acknowledge_page_by_sms, email_received, incident_resolved
        from .services.common import STAFF_ROLES

        signals.sms_received.connect(acknowledge_page_by_sms, dispatch_uid="escalation-ack-by-sms")
        inbound.connect(email_received, dispatch_uid="escalation-email-reply")
        status_incident_resolved.connect(incident_resolved, dispatch_uid="escalation-incident-resolved")
        navigation.register_shell_slot("escalation:escalation_notice")
        navigation.register(
            label=_("On-call rota"), url_name="escalation:rota", roles={Role.OPERATOR}, icon="☎", order=41
        )
        navigation.register(
            label=_("Support requests"),
            url_name="escalation:agent_queue",
            roles=set(STAFF_ROLES),
            icon="✉",
            order=40,
        )
