"""Events and their ticket categories."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hub.audit import log_action
from hub.celery import delay_on_commit

from ..audit import Action
from ..models import Category, Event, Order, Organisation, Ticket
from ..permissions import require_active, require_manager
from ..signals import event_cancelled, send_after_commit

EVENT_FIELDS = (
    "title_fr",
    "title_de",
    "title_en",
    "description_fr",
    "description_de",
    "description_en",
    "venue",
    "venue_address",
    "time_zone",
    "starts_at",
    "ends_at",
    "sales_start",
    "sales_end",
    "capacity",
)
CATEGORY_FIELDS = ("name_fr", "name_de", "name_en", "price", "vat_rate", "quota", "position")


def _unique_slug(organisation, title, exclude=None) -> str:
    base = slugify(title)[:60] or "event"
    slug, n = base, 1
    taken = Event.objects.filter(organisation=organisation)
    if exclude:
        taken = taken.exclude(pk=exclude.pk)
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _changes(instance, fields, values) -> dict:
    return {
        f: [str(getattr(instance, f)), str(values[f])] for f in fields if getattr(instance, f) != values[f]
    }


@transaction.atomic
def create_event(*, actor, organisation: Organisation, **fields) -> Event:
    require_manager(actor, organisation)
    event = Event(organisation=organisation, **{f: fields[f] for f in EVENT_FIELDS})
    event.slug = _unique_slug(organisation, event.title)
    event.full_clean(exclude=["slug"])
    event.save()
    log_action(actor, Action.EVENT_CREATED, event, {"title": event.title})
    return event


@transaction.atomic
def update_event(*, actor, event: Event, **fields) -> Event:
    require_manager(actor, event.organisation)
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("A cancelled event cannot be changed."))
    changes = _changes(event, EVENT_FIELDS, fields)
    for field in EVENT_FIELDS:
        setattr(event, field, fields[field])
    event.full_clean()
    event.save()
    if changes:
        log_action(actor, Action.EVENT_UPDATED, event, {"changes": changes})
    return event


@transaction.atomic
def save_category(*, actor, event: Event, category: Category | None = None, **fields) -> Category:
    require_manager(actor, event.organisation)
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("A cancelled event cannot be changed."))
    created = category is None
    category = category or Category(event=event)
    changes = {} if created else _changes(category, CATEGORY_FIELDS, fields)
    if not created and "price" in changes and category.tickets.exclude(status=Ticket.Status.VOID).exists():
        raise ValidationError({"price": _("Tickets are already sold at this price: create a new category.")})
    for field in CATEGORY_FIELDS:
        setattr(category, field, fields[field])
    category.full_clean()
    category.save()
    log_action(
        actor,
        Action.CATEGORY_CREATED if created else Action.CATEGORY_UPDATED,
        event,
        {"category": category.name, "changes": changes},
    )
    return category


@transaction.atomic
def delete_category(*, actor, category: Category) -> None:
    require_manager(actor, category.event.organisation)
    if category.tickets.exists():
        raise ValidationError(_("Tickets exist in this category: it cannot be deleted."))
    log_action(actor, Action.CATEGORY_DELETED, category.event, {"category": category.name})
    category.delete()


@transaction.atomic
def publish_event(*, actor, event: Event) -> Event:
    require_manager(actor, event.organisation)
    require_active(event.organisation)
    if event.status != Event.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    if not event.categories.exists():
        raise ValidationError(_("Add at least one ticket category before publishing."))
    if event.ends_at <= timezone.now():
        raise ValidationError(_("This event is already over."))
    event.status = Event.Status.PUBLISHED
    event.published_at = timezone.now()
    event.save(update_fields=["status", "published_at"])
    log_action(actor, Action.EVENT_PUBLISHED, event)
    return event


@transaction.atomic
def cancel_event(*, actor, event: Event, reason: str) -> Event:
    """Stop sales and refund every paid order (in the background, one order at a time)."""
    require_manager(actor, event.organisation)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("This event is already cancelled."))
    before = event.status
    event.status = Event.Status.CANCELLED
    event.cancelled_at = timezone.now()
    event.save(update_fields=["status", "cancelled_at"])
    log_action(actor, Action.EVENT_CANCELLED, event, {"before": before, "reason": reason})
    delay_on_commit("ticketing.refund_event_orders", event.pk, actor.pk, reason)
    send_after_commit(
        event_cancelled,
        Event,
        organisation_id=event.organisation_id,
        event_id=event.pk,
        title=event.title,
        reason=reason,
        starts_at=event.starts_at,
        cancelled_at=event.cancelled_at,
        paid_orders=event.orders.filter(status=Order.Status.PAID).count(),
    )
    return event
