from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..models import Component, Subscriber


class ComponentChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, component):
        return component.name


def _components_field():
    return ComponentChoice(
        label=_("Components"),
        queryset=Component.objects.live(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every component."),
    )


class SubscribeForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How"),
        choices=Subscriber.Channel.choices,
        widget=forms.RadioSelect,
        initial=Subscriber.Channel.EMAIL,
    )
    address = forms.CharField(
        label=_("Email, mobile number or webhook address"),
        max_length=500,
        help_text=_("A mobile number in international form (+33…); a webhook address starts with https://."),
    )
    language = forms.ChoiceField(label=_("Language of the messages"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["components"] = _components_field()


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the messages"), choices=settings.LANGUAGES)

    def __init__(self, *args, subscriber, **kwargs):
        kwargs["initial"] = {"language": subscriber.language, "components": list(subscriber.components.all())}
        super().__init__(*args, **kwargs)
        self.fields["components"] = _components_field()


class SmsCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code received by SMS"),
        regex=r"^\s*\d{4,8}\s*$",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
