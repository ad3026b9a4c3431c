from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.template import loader
from django.utils.translation import gettext_lazy as _

from . import audit, messaging, ratelimit, tokens, two_factor
from .audit import HubAction, log_action
from .models import Channel, MessageStatus


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the form: each message on its field when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class SignInThrottle:
    """Failed sign-in steps (password or two-factor code), counted so that one person's typos never lock
    out a colleague signing in from the same address (a venue's counter, an office behind one router).

    Within ``LOGIN_RATE_WINDOW_SECONDS`` a step is refused, without checking anything, past:

    - ``LOGIN_RATE_LIMIT`` failures for the (address, account) pair: guessing one account from one place;
    - ``LOGIN_RATE_LIMIT_PER_ACCOUNT`` failures for the account from any addresses: guessing spread over
      many addresses (higher, so that nobody locks the owner out with a handful of tries);
    - ``LOGIN_RATE_LIMIT_PER_ADDRESS`` distinct accounts that failed from the address: trying many
      accounts from one place. Each account counts once however often it was mistyped, so colleagues
      are only refused when that many different accounts failed there.
    """

    def __init__(self, request, account: str):
        self.ip = ratelimit.client_ip(request)
        self.account = account.strip().lower()

    def _pair(self):
        return "login-pair", f"{self.ip}|{self.account}"

    def _limits(self):
        return [
            (*self._pair(), settings.LOGIN_RATE_LIMIT),
            ("login-account", self.account, settings.LOGIN_RATE_LIMIT_PER_ACCOUNT),
            ("login-ip", self.ip, settings.LOGIN_RATE_LIMIT_PER_ADDRESS),
        ]

    def refused(self) -> bool:
        return any(ratelimit.is_limited(scope, ident, limit=limit) for scope, ident, limit in self._limits())

    def failed(self) -> None:
        window = settings.LOGIN_RATE_WINDOW_SECONDS
        first_for_pair = ratelimit.count(*self._pair(), window=window) == 1
        ratelimit.count("login-account", self.account, window=window)
        if first_for_pair:  # the address counts accounts, not attempts
            ratelimit.count("login-ip", self.ip, window=window)

    def succeeded(self) -> None:
        ratelimit.reset(*self._pair())

    def error(self) -> forms.ValidationError:
        return forms.ValidationError(
            _("Too many failed sign-in attempts. Please wait %(minutes)s minutes and try again."),
            code="rate_limited",
            params={"minutes": settings.LOGIN_RATE_WINDOW_SECONDS // 60},
        )


class LoginForm(AuthenticationForm):
    """Sign-in that stops guessing (see ``SignInThrottle``)."""

    username = forms.CharField(
        label=_("User name or email"),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        ),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("This user name or email and password do not match. Check them and try again."),
    }

    def clean(self):
        username = (self.data.get("username") or "")[:150]
        self.throttle = SignInThrottle(self.request, username)
        ip = self.throttle.ip or None
        if self.throttle.refused():
            log_action(None, HubAction.LOGIN_REFUSED, data={"username": username}, ip=ip)
            raise self.throttle.error()
        try:
            return super().clean()
        except forms.ValidationError:
            self.throttle.failed()
            log_action(None, HubAction.LOGIN_FAILED, data={"username": username}, ip=ip)
            raise


WRONG_CODE = _("This code is not right. Check the time on your phone and try the newest code.")


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        error_messages={"invalid": _("The code is made of six digits.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )


class SignInCodeForm(CodeForm):
    """The second step of signing in, throttled like the password (``SignInThrottle``)."""

    def __init__(self, *args, request, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.request, self.user = request, user
        self.throttle = SignInThrottle(request, f"code:{user.pk}")

    def clean(self):
        data = super().clean()
        ip = self.throttle.ip or None
        if self.throttle.refused():
            log_action(None, HubAction.LOGIN_REFUSED, data={"username": self.user.get_username()}, ip=ip)
            raise self.throttle.error()
        self.device = two_factor.device_of(self.user)
        if "code" in data and not two_factor.verify(self.device, data["code"]):
            self.throttle.failed()
            failure = {"username": self.user.get_username(), "step": "code"}
            log_action(None, HubAction.LOGIN_FAILED, data=failure, ip=ip)
            raise forms.ValidationError(WRONG_CODE)
        return data


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
            sensitive=True,
        )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. “ticket export”.")
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=tokens.MAX_DAYS, initial=tokens.DEFAULT_DAYS
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
