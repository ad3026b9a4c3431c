"""Forms of kiosk mode: a kiosk in the back office, the pairing code on the device, a customer's order."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class KioskForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the kiosk"), max_length=100, help_text=_("For example “Kiosk – entrance hall”.")
    )


class PairingForm(forms.Form):
    code = forms.CharField(
        label=_("Pairing code"),
        max_length=20,
        help_text=_("The 8 characters shown in the back office (Marketing tools → Kiosks)."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class KioskOrderForm(forms.Form):
    """How many seats of each category (``q_<category id>``), and who the tickets are for."""

    email = forms.EmailField(
        label=_("Email"),
        help_text=_("Your tickets are sent to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "inputmode": "email"}),
    )
    name = forms.CharField(
        label=_("Name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )

    def __init__(self, *args, categories, **kwargs):
        """``categories``: the event's (category, seats left) pairs."""
        super().__init__(*args, **kwargs)
        self.categories = categories
        for category, left in categories:
            most = max(min(left, settings.MAX_TICKETS_PER_ORDER), 0)
            self.fields[f"q_{category.pk}"] = forms.IntegerField(
                label=category.name,
                min_value=0,
                max_value=most,
                initial=0,
                required=False,
                widget=forms.NumberInput(attrs={"data-kiosk-quantity": "", "inputmode": "numeric"}),
            )

    def quantities(self) -> dict[int, int]:
        """The seats asked for per category id (categories with none left out)."""
        counts = {
            category.pk: self.cleaned_data.get(f"q_{category.pk}") or 0 for category, _left in self.categories
        }
        return {pk: count for pk, count in counts.items() if count}

    def clean(self):
        data = super().clean()
        if not self.errors and not self.quantities():
            raise forms.ValidationError(_("Choose at least one ticket."))
        return data

    def rows(self):
        """(category, seats left, its quantity field) per category, for the page."""
        return [(category, left, self[f"q_{category.pk}"]) for category, left in self.categories]
