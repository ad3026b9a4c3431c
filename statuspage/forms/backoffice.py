"""Operators' forms: incidents with a status per affected component, updates, translations, maintenance."""

from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from ..models import Component, ComponentStatus, Incident, Playbook
from .public import ComponentChoice


class PlaybookChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, playbook):
        return playbook.title_in(translation.get_language() or settings.LANGUAGE_CODE)


class ComponentStatusesMixin:
    """One select per component: not affected, or the status this incident gives it."""

    def add_component_fields(self, current: dict | None = None):
        choices = [("", _("Not affected")), *ComponentStatus.choices]
        for component in Component.objects.live():
            self.fields[f"component_{component.code}"] = forms.ChoiceField(
                label=component.name,
                choices=choices,
                required=False,
                initial=(current or {}).get(component.code, ""),
            )

    def component_fields(self):
        return [self[name] for name in self.fields if name.startswith("component_")]

    def affected(self) -> dict:
        data = getattr(self, "cleaned_data", {})
        by_code = {c.code: c for c in Component.objects.live()}
        return {
            by_code[name.removeprefix("component_")]: value
            for name, value in data.items()
            if name.startswith("component_") and value and name.removeprefix("component_") in by_code
        }


class IncidentForm(ComponentStatusesMixin, forms.Form):
    name = forms.CharField(label=_("Title"), max_length=200)
    language = forms.ChoiceField(label=_("Written in"), choices=settings.LANGUAGES)
    impact = forms.ChoiceField(
        label=_("Impact"), choices=Incident.Impact.choices, initial=Incident.Impact.MINOR
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s, Incident.Status(s).label) for s in ("investigating", "identified", "monitoring")],
    )
    body = forms.CharField(label=_("First message"), widget=forms.Textarea(attrs={"rows": 4}))
    playbooks = PlaybookChoice(
        label=_("Workarounds to show"),
        queryset=Playbook.objects.live(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notify = forms.BooleanField(label=_("Notify subscribers"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_component_fields()


class UpdateForm(ComponentStatusesMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"))
    language = forms.ChoiceField(label=_("Written in"), choices=settings.LANGUAGES)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}))
    notify = forms.BooleanField(label=_("Notify subscribers"), required=False, initial=True)

    def __init__(self, *args, incident: Incident, **kwargs):
        super().__init__(*args, **kwargs)
        statuses = (
            Incident.INCIDENT_STATUSES
            if incident.kind == Incident.Kind.INCIDENT
            else Incident.MAINTENANCE_STATUSES
        )
        self.fields["status"].choices = [(s, Incident.Status(s).label) for s in statuses]
        self.fields["status"].initial = incident.status
        self.fields["language"].initial = incident.language
        self.add_component_fields({link.component.code: link.status for link in incident.affected.all()})

    def affected(self) -> dict:
        """The statuses chosen. On closing, a status left as the form showed it is no choice: the service
        puts the incident's components back to operational unless the operator changed the select."""
        chosen = super().affected()
        if self.cleaned_data.get("status") in Incident.CLOSED:
            changed = set(self.changed_data)
            chosen = {c: s for c, s in chosen.items() if f"component_{c.code}" in changed}
        return chosen


class ResolveForm(ComponentStatusesMixin, forms.Form):
    """Resolving: each of the incident's components with the status it goes back to, operational unless the
    operator says otherwise."""

    language = forms.ChoiceField(label=_("Written in"), choices=settings.LANGUAGES)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}))
    notify = forms.BooleanField(label=_("Notify subscribers"), required=False, initial=True)

    def __init__(self, *args, incident: Incident, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = incident.language
        for link in incident.affected.all():
            self.fields[f"component_{link.component.code}"] = forms.ChoiceField(
                label=link.component.name,
                choices=ComponentStatus.choices,
                initial=ComponentStatus.OPERATIONAL,
            )


class TranslationForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    name = forms.CharField(label=_("Title"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Latest message"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class PostmortemForm(forms.Form):
    body = forms.CharField(label=_("Postmortem"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    publish = forms.BooleanField(label=_("Show it on the public page"), required=False)


DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MaintenanceForm(forms.Form):
    name = forms.CharField(label=_("Title"), max_length=200)
    language = forms.ChoiceField(label=_("Written in"), choices=settings.LANGUAGES)
    body = forms.CharField(label=_("What will happen"), widget=forms.Textarea(attrs={"rows": 4}))
    scheduled_for = forms.DateTimeField(label=_("Starts"), widget=DATETIME)
    scheduled_until = forms.DateTimeField(label=_("Ends"), widget=DATETIME)
    components = ComponentChoice(
        label=_("Components under maintenance"),
        queryset=Component.objects.live(),
        widget=forms.CheckboxSelectMultiple,
    )
    notify = forms.BooleanField(label=_("Notify subscribers"), required=False, initial=True)

    def clean(self):
        data = super().clean()
        zone, current = ZoneInfo(settings.TIME_ZONE), timezone.get_current_timezone()
        for field in ("scheduled_for", "scheduled_until"):  # typed as Paris time
            if data.get(field):
                data[field] = timezone.make_naive(data[field], current).replace(tzinfo=zone)
        return data
