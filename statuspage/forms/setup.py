"""Operators' forms to set the page up: components, groups and playbooks, with their texts per language.

Each form's ``changes()`` gives the service its keyword arguments (texts as ``{language: text}``); the
services validate, so their refusals come back on these fields (``name_fr``, ``slug``…)."""

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hub.i18n import LANGUAGE_CODES
from hub.models import Role

from ..models import ComponentGroup


class SetupForm(forms.Form):
    """The identifier (set once), the texts in each language, the position and, when editing, retirement."""

    identifier = "slug"
    texts: dict = {}  # field → (label, max_length or None for a long text, required)
    required_languages = (settings.LANGUAGE_CODE,)  # where a required text is needed; others fall back on it

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs["initial"] = {**self.initial_from(instance), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.fields[self.identifier] = forms.SlugField(
            label=_("Key") if self.identifier == "key" else _("Slug"),
            max_length=60,
            disabled=instance is not None,
            help_text=_("Its name in the operator API and in scripts: lowercase letters, digits and dashes."),
        )
        for field, (label, max_length, required) in self.texts.items():
            for code, language in settings.LANGUAGES:
                self.fields[f"{field}_{code}"] = forms.CharField(
                    label=format_lazy("{} ({})", label, language),
                    required=required and code in self.required_languages,
                    max_length=max_length,
                    widget=forms.Textarea(attrs={"rows": 5}) if max_length is None else None,
                )
        self.add_fields()
        self.fields["position"] = forms.IntegerField(
            label=_("Position"), min_value=0, required=False, help_text=_("Smaller numbers come first.")
        )
        if instance is not None:
            self.fields["retired"] = forms.BooleanField(
                label=_("Retired: off the public page and the forms, kept in the history of incidents"),
                required=False,
            )

    def add_fields(self):
        """Fields between the texts and the position."""

    def initial_from(self, instance) -> dict:
        initial = {
            self.identifier: getattr(instance, self.identifier),
            "position": instance.position,
            "retired": instance.retired_at is not None,
        }
        for field in self.texts:
            for code in LANGUAGE_CODES:
                initial[f"{field}_{code}"] = getattr(instance, f"{field}_{code}")
        return initial

    def identifier_field(self):
        return self[self.identifier]

    def language_rows(self):
        """The text fields, one row per language, for the template."""
        return [[self[f"{field}_{code}"] for field in self.texts] for code in LANGUAGE_CODES]

    def changes(self) -> dict:
        data = self.cleaned_data
        changes = {field: {code: data[f"{field}_{code}"] for code in LANGUAGE_CODES} for field in self.texts}
        if data.get("position") is not None:
            changes["position"] = data["position"]
        if self.instance is not None:
            changes["retired"] = data["retired"]
        else:
            changes[self.identifier] = data[self.identifier]
        return changes


class ComponentForm(SetupForm):
    texts = {"name": (_("Name"), 100, True), "description": (_("Description"), 255, False)}

    def add_fields(self):
        self.fields["group"] = forms.ModelChoiceField(
            label=_("Group"),
            queryset=ComponentGroup.objects.live(),
            required=False,
            empty_label=_("No group"),
        )
        self.fields["audience"] = forms.MultipleChoiceField(
            label=_("Who sees its incidents as a pop-up in the back office"),
            choices=Role.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Operators, support agents and account managers see every incident."),
        )

    def initial_from(self, instance) -> dict:
        return {**super().initial_from(instance), "group": instance.group_id, "audience": instance.audience}

    def changes(self) -> dict:
        return {
            **super().changes(),
            "group": self.cleaned_data["group"],
            "audience": self.cleaned_data["audience"],
        }


class GroupForm(SetupForm):
    texts = {"name": (_("Name"), 100, True)}


class PlaybookForm(SetupForm):
    identifier = "key"
    texts = {"title": (_("Title"), 150, True), "body": (_("Text"), None, True)}
    required_languages = LANGUAGE_CODES  # readers get it in their language
