"""The support request form (C2): the seed's fields, for organisation staff and, with an email, anyone."""

from datetime import datetime
from zoneinfo import ZoneInfo, available_timezones

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpcenter.selectors import support_lines

from .attachments import ALLOWED
from .hours import line_for
from .models import SalesChannel, SupportRequest
from .services.requests import Draft

MOMENT_FIELDS = 3


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe); their content is checked by the view."""

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return super().clean(data, initial)


class RequestForm(forms.Form):
    email = forms.EmailField(label=_("Your email"))
    name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    country = forms.ChoiceField(label=_("Your support line"))
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("What happens?"),
        widget=forms.Textarea(attrs={"rows": 7}),
        max_length=10_000,
        help_text=_("What you did, what you expected, what you saw instead, and since when."),
    )
    channels = forms.MultipleChoiceField(
        label=_("Affected sales channels"),
        choices=SalesChannel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    references = forms.CharField(
        label=_("Booking references or links"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Order references (e.g. K7Q2M4XB) or web addresses, separated by spaces or lines."),
    )
    time_zone = forms.CharField(widget=forms.HiddenInput, required=False)
    files = MultipleFileField(
        label=_("Screenshots, videos or error messages"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ",".join([*ALLOWED, ".log", ".txt"])}),
        help_text=_("Up to 5 files of 20 MB: PNG, JPEG, WebP, GIF, PDF, MP4, WebM or plain-text logs."),
    )
    kept = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organisations=(), user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for n in range(MOMENT_FIELDS):
            self.fields[f"moment_{n}"] = forms.DateTimeField(
                label=_("When did it happen?") if n == 0 else _("Another moment"),
                required=False,
                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
            )
        lines = support_lines()
        self.fields["country"].choices = [(line.country, f"{line.country} · {line.number}") for line in lines]
        if not lines:
            del self.fields["country"]
        if organisations:
            self.fields["organisation"].choices = [
                (o.pk, f"{o.name} · {o.account_id}") for o in organisations
            ]
            self.fields["organisation"].initial = organisations[0].pk
            self.fields["country"].initial = line_for(organisations[0].country).country if lines else None
            del self.fields["email"], self.fields["name"]
        else:
            del self.fields["organisation"]

    def clean_time_zone(self):
        zone = self.cleaned_data["time_zone"]
        return zone if zone in available_timezones() else ""

    def moments(self) -> list[datetime]:
        """The times given, read in the requester's time zone (their browser's, else the support line's)."""
        zone = self.cleaned_data.get("time_zone") or (
            line_for(self.cleaned_data.get("country", "FR")).time_zone
            if "country" in self.fields
            else "Europe/Paris"
        )
        found = []
        for n in range(MOMENT_FIELDS):
            value = self.cleaned_data.get(f"moment_{n}")
            if value:
                naive = timezone.make_naive(value) if timezone.is_aware(value) else value
                found.append(naive.replace(tzinfo=ZoneInfo(zone)))
        return found

    def draft(self, *, language: str, files) -> Draft:
        data = self.cleaned_data
        member = "organisation" in self.fields  # signed in: the account's email and name
        return Draft(
            email=self.user.email if member else data["email"],
            name=self.user.get_full_name() if member else data["name"],
            subject=data["subject"],
            body=data["body"],
            language=language,
            country=data.get("country", ""),
            channels=data["channels"],
            moments=self.moments(),
            references=data["references"],
            files=files,
        )


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20_000)
    article = forms.ChoiceField(
        label=_("Insert a help article"),
        required=False,
        help_text=_("Its title and link, in the language of the requester, end the answer."),
    )
    status = forms.ChoiceField(
        label=_("Then"),
        choices=[
            ("waiting", _("wait for the customer")),
            ("resolved", _("mark resolved")),
            ("open", _("keep open")),
        ],
        initial="waiting",
    )

    def __init__(self, *args, articles=(), **kwargs):
        """``articles``: the help articles that may be inserted (``selectors.reply_articles``)."""
        super().__init__(*args, **kwargs)
        self.fields["article"].choices = [("", _("none"))] + [(a.key, a.title) for a in articles]


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20_000
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=SupportRequest.Status.choices)


class UrgencyForm(forms.Form):
    urgent = forms.TypedChoiceField(
        label=_("Urgency"), choices=[("1", _("Urgent")), ("0", _("Not urgent"))], coerce=lambda v: v == "1"
    )
    reason = forms.CharField(label=_("Why"), max_length=500)


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(label=_("Assign to"), coerce=int, empty_value=None, required=False)

    def __init__(self, *args, agents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("nobody"))] + [
            (u.pk, u.get_full_name() or u.username) for u in agents
        ]


class EscalateForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the account manager need to step in?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class RequesterMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000, required=False
    )
    files = MultipleFileField(
        label=_("Add files"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ",".join([*ALLOWED, ".log", ".txt"])}),
    )


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How well were you helped?"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ShiftForm(forms.Form):
    user = forms.ModelChoiceField(label=_("On call"), queryset=None)
    backup = forms.ModelChoiceField(label=_("Backup"), queryset=None)
    starts_at = forms.DateTimeField(
        label=_("From"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    ends_at = forms.DateTimeField(
        label=_("Until"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    phone = forms.CharField(
        label=_("Mobile of the person on call"),
        required=False,
        max_length=20,
        help_text=_("Empty: their account's mobile."),
    )
    backup_phone = forms.CharField(label=_("Mobile of the backup"), required=False, max_length=20)

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        ids = [user.pk for user in staff]
        for name in ("user", "backup"):
            self.fields[name].queryset = (
                get_user_model().objects.filter(pk__in=ids).order_by("first_name", "username")
            )


class IncidentLinkForm(forms.Form):
    incident = forms.ChoiceField(label=_("Open incident"))

    def __init__(self, *args, incidents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incident"].choices = [(i.code, i.name) for i in incidents]
