"""The status page's domain events, for the apps above it (the support desk links requests to incidents,
the chatbot answers from them). Each is sent by the services once the change is committed, never for a
change that was rolled back; ``sender`` is the model class. Arguments are ids and plain values, so a
receiver reads what it needs through ``statuspage.selectors``.
"""

from django.dispatch import Signal

incident_opened = Signal()
"""An incident was opened (not a maintenance). Arguments: ``incident_id`` (int), ``code`` (its public id),
``impact`` ("none", "minor", "major", "critical"), ``status`` ("investigating", "identified" or
"monitoring"), ``components`` (the affected components' slugs), ``update_id`` (its first update)."""

incident_updated = Signal()
"""An open incident got a new update that does not resolve it. Arguments: ``incident_id``, ``code``,
``impact``, ``status`` (after the update), ``previous_status``, ``components`` (slugs), ``update_id``."""

incident_resolved = Signal()
"""An incident was resolved. Arguments: ``incident_id``, ``code``, ``impact``, ``components`` (slugs),
``update_id`` (the resolving update), ``resolved_at`` (aware datetime)."""

component_status_changed = Signal()
"""A component's status changed (by hand, by an incident or by a maintenance). Arguments:
``component_id`` (int), ``slug``, ``previous_status`` and ``status`` (ComponentStatus values),
``incident_id`` (the incident or maintenance that changed it, or None)."""
