"""The contacts of the emergency sheet (P7: staff know whom to call), kept by the seller's admins."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from hub.audit import log_action

from .. import emergency
from ..audit import Action
from ..models import EmergencyContact, Organisation
from ..permissions import require_manager

CONTACT_FIELDS = ("venue", "name", "role", "phone", "email", "notes")


def _e164(number: str, country: str) -> str:
    """The number in E.164 form, read as a number of the organisation's country unless it starts with +."""
    try:
        parsed = phonenumbers.parse(number, country)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            _("This phone number is not valid. Write it in international form, e.g. +33 6 12 34 56 78.")
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _fill(contact: EmergencyContact, fields: dict) -> dict:
    """Check ``fields`` and set them on ``contact``; the changes as ``{field: [before, after]}``. Every
    refusal is raised at once, each on its field."""
    values = {name: (fields.get(name) or "").strip() for name in CONTACT_FIELDS}
    errors = {}
    if values["venue"] and values["venue"] not in {*emergency.venues(contact.organisation), contact.venue}:
        errors["venue"] = [_("Choose one of the venues of your events.")]
    try:
        values["phone"] = _e164(values["phone"], contact.organisation.country)
    except ValidationError as error:
        errors["phone"] = error.messages
    changes = {
        name: [getattr(contact, name), value]
        for name, value in values.items()
        if getattr(contact, name) != value
    }
    for name, value in values.items():
        setattr(contact, name, value)
    try:
        contact.full_clean(exclude=list(errors))
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    return changes


@transaction.atomic
def add_emergency_contact(*, actor, organisation: Organisation, **fields) -> EmergencyContact:
    require_manager(actor, organisation)
    contact = EmergencyContact(organisation=organisation)
    _fill(contact, fields)
    last = organisation.emergency_contacts.aggregate(last=Max("position"))["last"]
    contact.position = 0 if last is None else last + 1
    contact.save()
    log_action(actor, Action.EMERGENCY_CONTACT_ADDED, organisation, {"contact": str(contact)})
    return contact


@transaction.atomic
def change_emergency_contact(*, actor, contact: EmergencyContact, **fields) -> EmergencyContact:
    require_manager(actor, contact.organisation)
    changes = _fill(contact, fields)
    if changes:
        contact.save()
        log_action(
            actor,
            Action.EMERGENCY_CONTACT_CHANGED,
            contact.organisation,
            {"contact": str(contact), "changes": changes},
        )
    return contact


@transaction.atomic
def move_emergency_contact(*, actor, contact: EmergencyContact, up: bool) -> None:
    """Swap the contact with the one above it (or below it) on the sheet."""
    require_manager(actor, contact.organisation)
    order = list(EmergencyContact.objects.select_for_update().filter(organisation=contact.organisation_id))
    index = next(i for i, other in enumerate(order) if other.pk == contact.pk)
    target = index - 1 if up else index + 1
    if not 0 <= target < len(order):
        return
    order[index], order[target] = order[target], order[index]
    for position, other in enumerate(order):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position"])
    log_action(
        actor,
        Action.EMERGENCY_CONTACT_MOVED,
        contact.organisation,
        {"contact": str(contact), "position": [index + 1, target + 1]},
    )


@transaction.atomic
def remove_emergency_contact(*, actor, contact: EmergencyContact) -> None:
    require_manager(actor, contact.organisation)
    log_action(
        actor,
        Action.EMERGENCY_CONTACT_REMOVED,
        contact.organisation,
        {"contact": str(contact), "phone": contact.phone},
    )
    contact.delete()
