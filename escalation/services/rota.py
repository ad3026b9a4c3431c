"""The on-call rota (C3): operators say who is paged out of hours, when, and who backs them up."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hub.audit import log_action
from hub.permissions import require_operator
from hub.sms import is_e164

from ..audit import Action
from ..models import OnCallShift


def save_shift(
    *, actor, user, backup, starts_at, ends_at, phone: str = "", backup_phone: str = ""
) -> OnCallShift:
    """Add a shift; phones default to the people’s mobiles. Shifts never overlap (one person on call)."""
    require_operator(actor)
    phone, backup_phone = (phone or user.mobile).strip(), (backup_phone or backup.mobile).strip()
    problems = {}
    if user == backup:
        problems["backup"] = _("The backup must be someone else.")
    if ends_at <= starts_at:
        problems["ends_at"] = _("The shift must end after it starts.")
    for field, number in (("phone", phone), ("backup_phone", backup_phone)):
        if not is_e164(number):
            problems[field] = _("Enter a mobile number in international form, e.g. +41791234567.")
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        overlapping = OnCallShift.objects.select_for_update().filter(
            starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        if overlapping.exists():
            raise ValidationError(_("Another shift covers part of this time: change or delete it first."))
        shift = OnCallShift.objects.create(
            user=user,
            backup=backup,
            phone=phone,
            backup_phone=backup_phone,
            starts_at=starts_at,
            ends_at=ends_at,
        )
        log_action(
            actor, Action.SHIFT_SAVED, shift, {"user": user.get_username(), "backup": backup.get_username()}
        )
    return shift


def delete_shift(*, actor, shift_id: int) -> None:
    require_operator(actor)
    with transaction.atomic():
        shift = OnCallShift.objects.select_for_update().get(pk=shift_id)
        log_action(actor, Action.SHIFT_DELETED, shift, {"user": shift.user.get_username()})
        shift.delete()
