"""Reads of the status page that more than one caller needs: the back-office pop-up, the operators'
screens, the fan-out's audience, and what the apps above (support desk, chatbot) ask about incidents.

The public page itself never reads the database: it is served from ``statuspage.snapshot``.
"""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from hub.i18n import current_language
from hub.models import Role
from hub.permissions import roles_of

from .models import (
    Component,
    ComponentGroup,
    Incident,
    NoticeDismissal,
    Playbook,
    Subscriber,
    SubscriptionRequest,
)

# Back-office users with these roles see every incident's pop-up, whatever the components.
SEE_EVERYTHING = {Role.OPERATOR, Role.SUPPORT_AGENT, Role.ACCOUNT_MANAGER}
REQUEST_DAYS = 7  # a subscription request can be confirmed this long


def components():
    """Live components with their group, in the page's order."""
    return Component.objects.live().select_related("group")


def every_component():
    """Live and retired components, for the operators (who may bring one back)."""
    return Component.objects.select_related("group")


def components_by_slug(slugs) -> dict[str, Component]:
    """Live components among ``slugs``: a retired one is no longer offered."""
    return {c.slug: c for c in Component.objects.live().filter(slug__in=slugs)}


def groups():
    return ComponentGroup.objects.live()


def every_group():
    return ComponentGroup.objects.all()


def setup_overview() -> dict:
    """The operators' set-up page: live groups with their live components in order, the components in no
    group, and what is retired."""
    every = list(every_component())
    live = [c for c in every if c.retired_at is None]
    return {
        "groups": [(group, [c for c in live if c.group_id == group.pk]) for group in groups()],
        "ungrouped": [c for c in live if c.group_id is None],
        "retired": [c for c in every if c.retired_at is not None],
        "retired_groups": list(ComponentGroup.objects.filter(retired_at__isnull=False)),
    }


def playbooks():
    """Live playbooks, to attach to incidents."""
    return Playbook.objects.live()


def playbooks_for(incident: Incident):
    """What an incident may show: the live playbooks, and those it shows already (even retired)."""
    return (Playbook.objects.live() | Playbook.objects.filter(incidents=incident)).distinct()


def every_playbook():
    return Playbook.objects.all()


def playbooks_by_key(keys) -> list[Playbook]:
    return list(Playbook.objects.live().filter(key__in=keys))


def incident(code: str) -> Incident:
    """One incident or maintenance with its components, updates and playbooks (DoesNotExist if unknown)."""
    return Incident.objects.prefetch_related("affected__component", "updates", "playbooks").get(code=code)


def open_incidents(*, component_slugs=None):
    """Incidents not yet resolved and maintenance in progress, newest first, optionally only those that
    touch one of ``component_slugs``."""
    found = Incident.objects.filter(
        Q(kind=Incident.Kind.INCIDENT) & ~Q(status__in=Incident.CLOSED)
        | Q(
            kind=Incident.Kind.MAINTENANCE,
            status__in=[Incident.Status.IN_PROGRESS, Incident.Status.VERIFYING],
        )
    )
    if component_slugs is not None:
        found = found.filter(affected__component__slug__in=list(component_slugs)).distinct()
    return found.prefetch_related("affected__component", "playbooks", "updates").order_by("-created_at")


def unresolved():
    """Everything not closed (scheduled maintenance included), for the operators' dashboard."""
    return Incident.objects.exclude(status__in=Incident.CLOSED).prefetch_related("affected__component")


def recently_closed(limit: int = 10):
    return Incident.objects.filter(status__in=Incident.CLOSED)[:limit]


def active_subscribers():
    return Subscriber.objects.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


def subscription_request(token: str) -> SubscriptionRequest:
    """A subscription request still open to confirmation, or already confirmed (DoesNotExist otherwise)."""
    return (
        SubscriptionRequest.objects.select_related("subscriber")
        .prefetch_related("components")
        .get(token=token, created_at__gte=timezone.now() - timedelta(days=REQUEST_DAYS))
    )


def subscribers_overview():
    """(every subscriber with its number of components, newest first; counts by state)."""
    found = Subscriber.objects.annotate(n=Count("components")).order_by("-created_at")
    counts = {
        "active": active_subscribers().count(),
        "waiting": SubscriptionRequest.objects.filter(confirmed_at__isnull=True, subscriber__isnull=True)
        .filter(created_at__gte=timezone.now() - timedelta(days=REQUEST_DAYS))
        .count(),
        "left": Subscriber.objects.filter(unsubscribed_at__isnull=False).count(),
    }
    return found, counts


def audience(incident: Incident):
    """Confirmed subscribers of every component, or of one of the incident's components."""
    affected = list(incident.affected.values_list("component_id", flat=True))
    return (
        active_subscribers()
        .filter(Q(components__isnull=True) | Q(components__in=affected))
        .distinct()
        .order_by("pk")
    )


def notices(user) -> list[dict]:
    """The back-office pop-up (S4): open incidents and maintenance in progress that touch the components this
    user works with, in the active language."""
    held = roles_of(user)
    dismissed = dict(NoticeDismissal.objects.filter(user=user).values_list("incident_id", "update_id"))
    language = current_language()
    shown = []
    for found in open_incidents():
        audience_roles = set().union(*(set(link.component.audience) for link in found.affected.all()))
        if not (held & SEE_EVERYTHING or held & audience_roles):
            continue
        latest = found.updates.all()[0]
        shown.append(
            {
                "incident": found,
                "name": found.name_in(language),
                "latest": latest,
                "body": latest.body_in(language),
                "components": [link.component.name for link in found.affected.all()],
                "playbooks": [(p.title_in(language), p.body_in(language)) for p in found.playbooks.all()],
                # Operators run the incident: a banner is enough for them.
                "popup": Role.OPERATOR not in held and dismissed.get(found.pk) != latest.pk,
            }
        )
    return shown
