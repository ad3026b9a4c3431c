from decimal import Decimal
from zoneinfo import ZoneInfo

import phonenumbers
from django import forms
from django.contrib.auth.password_validation import validate_password
from django.forms.models import fields_for_model, model_to_dict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.i18n import LANGUAGE_CODES
from hub.models import Role

from .commission import Schedule, quote
from .formatting import format_amount
from .models import COUNTRY_CURRENCY, MEMBER_ROLE_CHOICES, Category, Currency, Event, Order
from .services.events import EVENT_FIELDS

COUNTRIES = [
    ("FR", _("France")),
    ("BE", _("Belgium")),
    ("CH", _("Switzerland")),
    ("LU", _("Luxembourg")),
    ("DE", _("Germany")),
    ("AT", _("Austria")),
    ("GB", _("United Kingdom")),
]
TIME_ZONES = [
    ("Europe/Paris", "Europe/Paris"),
    ("Europe/Brussels", "Europe/Brussels"),
    ("Europe/Zurich", "Europe/Zurich"),
    ("Europe/Luxembourg", "Europe/Luxembourg"),
    ("Europe/Berlin", "Europe/Berlin"),
    ("Europe/Vienna", "Europe/Vienna"),
    ("Europe/London", "Europe/London"),
]
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def e164(number: str, country: str) -> str:
    """The number in E.164 form, read as a number of ``country`` unless it starts with +."""
    try:
        parsed = phonenumbers.parse(number, country)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        raise forms.ValidationError(_("This phone number is not valid for the chosen country."))
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


class PasswordForm(forms.Form):
    """A new password, typed twice, that passes the validators."""

    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password1"):
            try:
                validate_password(data["password1"])
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class SellerSignupForm(forms.Form):
    name = forms.CharField(
        label=_("Organisation name"),
        max_length=200,
        help_text=_("As your buyers know it, e.g. “Théâtre du Marché”."),
    )
    legal_name = forms.CharField(label=_("Legal name"), max_length=200)
    registration_number = forms.CharField(
        label=_("Company registration number"),
        max_length=64,
        help_text=_("SIRET, BCE/KBO, UID, Handelsregister or Companies House number."),
    )
    vat_number = forms.CharField(label=_("VAT number"), max_length=32, required=False)
    address = forms.CharField(label=_("Address"), max_length=255)
    postal_code = forms.CharField(label=_("Postal code"), max_length=16)
    city = forms.CharField(label=_("City"), max_length=100)
    country = forms.ChoiceField(label=_("Country"), choices=COUNTRIES)
    currency = forms.ChoiceField(
        label=_("Currency"),
        choices=[("", _("The country's currency")), *Currency.choices],
        required=False,
        help_text=_("Your prices, your buyers' payments and your payouts. It is fixed at your first sale."),
    )
    first_name = forms.CharField(label=_("Your first name"), max_length=100)
    last_name = forms.CharField(label=_("Your last name"), max_length=100)
    contact_email = forms.EmailField(
        label=_("Email"), help_text=_("You sign in with it; listings are sent there.")
    )
    contact_phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=32,
        help_text=_("We text a code to this number to activate your space."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    accept_terms = forms.BooleanField(
        label=_("I accept Guichet's commission schedule and that my space is activated after a phone check."),
        error_messages={"required": _("Please accept these terms to create your space.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("contact_phone") and data.get("country"):
            try:
                data["contact_phone"] = e164(data["contact_phone"], data["country"])
            except forms.ValidationError as error:
                self.add_error("contact_phone", error)
        if not data.get("currency") and data.get("country"):
            data["currency"] = COUNTRY_CURRENCY.get(data["country"], Currency.EUR)
        return data

    def organisation_fields(self) -> dict:
        fields = (
            "name",
            "legal_name",
            "registration_number",
            "vat_number",
            "address",
            "postal_code",
            "city",
            "country",
            "currency",
            "contact_email",
            "contact_phone",
        )
        return {field: self.cleaned_data[field] for field in fields}


class VerificationCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code received by SMS"),
        regex=r"^\s*\d{4,8}\s*$",
        error_messages={"invalid": _("The code is made of digits only.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note about the call"),
        max_length=255,
        help_text=_("Who answered, and when. It goes into the audit log."),
    )


class CommissionForm(forms.Form):
    """The schedule in the units people speak: percent, and amounts in the seller space's currency."""

    percent = forms.DecimalField(
        label=_("Percentage of the price"), min_value=0, max_value=20, decimal_places=3
    )
    fixed = forms.DecimalField(
        label=_("Fixed part per ticket (excl. VAT)"), min_value=0, max_value=20, decimal_places=2
    )
    minimum = forms.DecimalField(
        label=_("Minimum per ticket (excl. VAT)"), min_value=0, max_value=20, decimal_places=2
    )
    vat_percent = forms.DecimalField(
        label=_("VAT on the commission (%)"), min_value=0, max_value=30, decimal_places=2
    )

    @classmethod
    def for_organisation(cls, organisation, data=None):
        initial = {
            "percent": organisation.commission_percent * 100,
            "fixed": organisation.commission_fixed,
            "minimum": organisation.commission_minimum,
            "vat_percent": organisation.commission_vat_rate * 100,
        }
        return cls(data, initial={k: f"{v.normalize():f}" for k, v in initial.items()})  # 20, not 2E+1

    def schedule(self) -> dict:
        data = self.cleaned_data
        return {
            "percent": (data["percent"] / 100).quantize(Decimal("0.0001")),
            "fixed": data["fixed"],
            "minimum": data["minimum"],
            "vat_rate": (data["vat_percent"] / 100).quantize(Decimal("0.0001")),
        }


class CurrencyForm(forms.Form):
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)


class PayoutReferenceForm(forms.Form):
    reference = forms.CharField(label=_("Bank transfer reference"), max_length=100)


def _one_language_filled(form, field: str, message):
    if not any(form.cleaned_data.get(f"{field}_{code}") for code in LANGUAGE_CODES):
        form.add_error(f"{field}_fr", message)


EVENT_DATES = ("starts_at", "ends_at", "sales_start", "sales_end")


class EventForm(forms.Form):
    """Dates are typed as wall-clock times in the event's own time zone."""

    def __init__(self, *args, instance: Event | None = None, **kwargs):
        if instance is not None:
            initial = model_to_dict(instance, list(EVENT_FIELDS))
            zone = ZoneInfo(instance.time_zone)
            for field in EVENT_DATES:
                initial[field] = timezone.localtime(initial[field], zone).replace(tzinfo=None)
            kwargs["initial"] = initial | kwargs.get("initial", {})
        super().__init__(*args, **kwargs)
        textarea = forms.Textarea(attrs={"rows": 4})
        widgets = {field: DATETIME_INPUT for field in EVENT_DATES} | {
            f"description_{code}": textarea for code in LANGUAGE_CODES
        }
        self.fields.update(fields_for_model(Event, fields=list(EVENT_FIELDS), widgets=widgets))
        self.fields["time_zone"] = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONES)
        label = self.fields["capacity"].label
        self.fields["capacity"] = forms.IntegerField(label=label, min_value=1, max_value=1_000_000)

    def clean(self):
        data = super().clean()
        _one_language_filled(self, "title", _("Give the event a title in at least one language."))
        zone = ZoneInfo(data.get("time_zone") or "Europe/Paris")
        current = timezone.get_current_timezone()
        for field in EVENT_DATES:
            if data.get(field):
                data[field] = timezone.make_naive(data[field], current).replace(tzinfo=zone)
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The event must end after it starts."))
        if data.get("sales_start") and data.get("sales_end") and data["sales_end"] <= data["sales_start"]:
            self.add_error("sales_end", _("Sales must end after they start."))
        if data.get("sales_end") and data.get("ends_at") and data["sales_end"] > data["ends_at"]:
            self.add_error("sales_end", _("Sales cannot go on after the event has ended."))
        return data


CATEGORY_FIELDS = ["name_fr", "name_de", "name_en", "price", "quota", "position"]


class CategoryForm(forms.Form):
    def __init__(self, *args, event: Event, instance: Category | None = None, **kwargs):
        if instance is not None:
            kwargs["initial"] = model_to_dict(instance, CATEGORY_FIELDS) | {
                "vat_percent": instance.vat_rate * 100
            }
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields.update(fields_for_model(Category, fields=CATEGORY_FIELDS))
        self.fields["vat_percent"] = forms.DecimalField(
            label=_("VAT rate (%)"),
            min_value=0,
            max_value=30,
            decimal_places=2,
            initial=Decimal("5.5"),
            help_text=_("Included in the price."),
        )
        self.fields["price"].widget.attrs.update(min=0, step="0.01")
        self.fields["quota"].widget.attrs["min"] = 1
        self.fields["position"].required = False

    def clean(self):
        data = super().clean()
        _one_language_filled(self, "name", _("Name the category in at least one language."))
        price = data.get("price")
        if price is not None:
            commission = quote(price, Schedule.of(self.event.organisation))
            if price < 0:
                self.add_error("price", _("The price cannot be negative."))
            elif commission.net_to_seller < 0:
                self.add_error(
                    "price",
                    _(
                        "Our commission is %(fee)s per ticket incl. VAT: at this price you would receive "
                        "nothing. Choose 0 (free) or a price above %(fee)s."
                    )
                    % {
                        "fee": format_amount(commission.commission_incl_vat, self.event.organisation.currency)
                    },
                )
        if data.get("quota") is not None and not 1 <= data["quota"] <= self.event.capacity:
            self.add_error(
                "quota", _("Between 1 and the event's capacity (%(n)s).") % {"n": self.event.capacity}
            )
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {f: data[f] for f in CATEGORY_FIELDS}
        fields["position"] = fields["position"] or 0
        fields["vat_rate"] = (data["vat_percent"] / 100).quantize(Decimal("0.0001"))
        return fields


class DeviceForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the device"), max_length=100, help_text=_("For example “Gate A – Android phone”.")
    )


class StationForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the station"), max_length=100, help_text=_("For example “Counter 1 – main hall”.")
    )


class CashOpenForm(forms.Form):
    opening_float = forms.DecimalField(
        label=_("Float (€)"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=_("The cash put in the drawer."),
    )


class CashCloseForm(forms.Form):
    counted_cash = forms.DecimalField(
        label=_("Cash counted (€)"), min_value=0, max_digits=10, decimal_places=2
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class CounterRefundForm(forms.Form):
    note = forms.CharField(label=_("Reason"), max_length=255)


class SettleForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
    decision = forms.ChoiceField(choices=[("accept", "accept"), ("refund", "refund")])


class EmergencyContactForm(forms.Form):
    """A contact of the emergency sheet; the venue only when the organisation's events use several."""

    name = forms.CharField(label=_("Name"), max_length=120)
    role = forms.CharField(
        label=_("Role"),
        max_length=120,
        help_text=_("What to call them for, e.g. “Venue technician” or “Internet provider”."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, widget=forms.TextInput(attrs={"type": "tel"}))
    email = forms.EmailField(label=_("Email"), required=False)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=255,
        help_text=_("For example “On site from 17:00 on show days”."),
    )
    venue = forms.ChoiceField(label=_("Venue"), required=False)

    def __init__(self, *args, venues: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        if len(venues) < 2:
            del self.fields["venue"]
        else:
            self.fields["venue"].choices = [("", _("Every venue")), *((name, name) for name in venues)]

    def service_fields(self) -> dict:
        return {"venue": self.initial.get("venue", ""), **self.cleaned_data}


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=MEMBER_ROLE_CHOICES[::-1],  # the fewest rights first
        initial=Role.DOOR_STAFF,
    )


class JoinForm(PasswordForm):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    field_order = ["first_name", "last_name", "password1", "password2"]


class CustomerLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("Email used for your purchase"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class OrderSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Reference, email or name")}),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Order.Status.choices]
    )


def build_checkout_form(event: Event, seats: list[Category]):
    """The buyer's email and one name per seat, in the order of ``seats``."""
    fields = {
        "email": forms.EmailField(
            label=_("Email"),
            help_text=_("Your tickets are sent to this address."),
            widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        ),
        "email_again": forms.EmailField(
            label=_("Email again"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
        ),
    }
    for index in range(len(seats)):
        fields[f"first_name_{index}"] = forms.CharField(label=_("First name"), max_length=100)
        fields[f"last_name_{index}"] = forms.CharField(label=_("Last name"), max_length=100)

    def clean(self):
        data = forms.Form.clean(self)
        if (
            data.get("email")
            and data.get("email_again")
            and data["email"].lower() != data["email_again"].lower()
        ):
            self.add_error("email_again", _("The two addresses differ."))
        return data

    form_class = type("CheckoutForm", (forms.Form,), {**fields, "clean": clean})
    form_class.seats = seats
    return form_class
