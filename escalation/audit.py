"""The support desk's audit action codes (see ``hub.audit``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hub.audit import register


@register(_("Support desk"))
class Action(models.TextChoices):
    REQUEST_CREATED = "support.request_created", _("Support request received")
    URGENCY_OVERRIDDEN = "support.urgency_overridden", _("Urgency overridden")
    ASSIGNED = "support.assigned", _("Support request assigned")
    STATUS_CHANGED = "support.status_changed", _("Support request status changed")
    REPLIED = "support.replied", _("Support request answered")
    NOTE_ADDED = "support.note_added", _("Internal note added")
    ESCALATED = "support.escalated", _("Escalated to the account manager")
    HANDED_BACK = "support.handed_back", _("Escalation handed back")
    PAGED = "support.paged", _("On-call paged")
    ACKNOWLEDGED = "support.acknowledged", _("On-call page acknowledged")
    SHIFT_SAVED = "support.shift_saved", _("On-call shift saved")
    SHIFT_DELETED = "support.shift_deleted", _("On-call shift deleted")
    SLA_BREACHED = "support.sla_breached", _("SLA target missed")
    RATED = "support.rated", _("Support rated")
    INCIDENT_LINKED = "support.incident_linked", _("Support request linked to an incident")
