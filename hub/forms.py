from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.template import loader
from django.utils.translation import gettext_lazy as _

from . import audit, messaging, ratelimit
from .audit import HubAction, log_action
from .models import Channel, MessageStatus


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the form: each message on its field when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class LoginForm(AuthenticationForm):
    """Sign-in that stops guessing: after ``LOGIN_RATE_LIMIT`` failures per address or per account
    within ``LOGIN_RATE_WINDOW_SECONDS``, further attempts are refused without checking the password."""

    username = forms.CharField(
        label=_("User name or email"),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        ),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("This user name or email and password do not match. Check them and try again."),
        "rate_limited": _("Too many failed sign-in attempts. Please wait %(minutes)s minutes and try again."),
    }

    def _identities(self):
        username = (self.data.get("username") or "").strip().lower()
        return [("login-ip", ratelimit.client_ip(self.request)), ("login-user", username)]

    def clean(self):
        limit, window = settings.LOGIN_RATE_LIMIT, settings.LOGIN_RATE_WINDOW_SECONDS
        if any(ratelimit.is_limited(scope, ident, limit=limit) for scope, ident in self._identities()):
            log_action(
                None,
                HubAction.LOGIN_REFUSED,
                data={"username": self.data.get("username", "")[:150]},
                ip=ratelimit.client_ip(self.request) or None,
            )
            raise forms.ValidationError(
                self.error_messages["rate_limited"], code="rate_limited", params={"minutes": window // 60}
            )
        try:
            return super().clean()
        except forms.ValidationError:
            for scope, ident in self._identities():
                ratelimit.hit(scope, ident, limit=limit, window=window)
            log_action(
                None,
                HubAction.LOGIN_FAILED,
                data={"username": self.data.get("username", "")[:150]},
                ip=ratelimit.client_ip(self.request) or None,
            )
            raise


class OutboxPasswordResetForm(PasswordResetForm):
    """Password reset emails go through the outbox like every other email."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        messaging.enqueue_email(
            to=to_email,
            subject=subject,
            body=body,
            idempotency_key=f"password-reset:{context['uid']}:{context['token']}",
        )


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *MessageStatus.choices]
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All channels")), *Channel.choices]
    )
    q = forms.CharField(label=_("Recipient"), required=False, max_length=200)


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    target = forms.CharField(label=_("Target"), required=False, max_length=255)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions")), *audit.choices()]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("The start date must be before the end date."))
        return data
