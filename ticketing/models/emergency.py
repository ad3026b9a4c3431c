"""Whom to call when something breaks (P7): the contacts a seller prints on its emergency sheet."""

import phonenumbers
from django.db import models
from django.utils.translation import gettext_lazy as _

from .organisations import Organisation


class EmergencyContact(models.Model):
    """Someone staff call on the night: the venue's technician, the network provider, the manager on duty.
    Without a venue the contact is on every sheet of the organisation; with one, only on that venue's."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="emergency_contacts"
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=120)
    phone = models.CharField(_("phone"), max_length=20, help_text="E.164")
    email = models.EmailField(_("email"), blank=True)
    notes = models.CharField(_("notes"), max_length=255, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.name} ({self.role})"

    @property
    def phone_display(self) -> str:
        """The number as people read it aloud, e.g. +33 6 12 34 56 78."""
        return phonenumbers.format_number(
            phonenumbers.parse(self.phone), phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
