import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy, translate_url
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import email_providers, health, ratelimit, selectors, services, signals, sms, tokens, two_factor
from .audit import HubAction, label, log_action
from .forms import (
    WRONG_CODE,
    ApiTokenForm,
    AuditFilterForm,
    CodeForm,
    LoginForm,
    OutboxFilterForm,
    OutboxPasswordResetForm,
    SignInCodeForm,
    add_service_errors,
)
from .models import Channel, ConsoleSms, OutboundMessage, Role
from .navigation import items_for, panels_for
from .permissions import is_operator, role_required, roles_of

PAGE_SIZE = 50


def home(request):
    return render(request, "hub/home.html")


@login_required
def dashboard(request):
    held = roles_of(request.user)
    items = [item for item in items_for(request.user) if item.url_name != "hub:dashboard"]
    if held == {Role.DOOR_STAFF} and items:
        return redirect(items[0].url)
    context = {"cards": items, "roles": [Role(r).label for r in sorted(held)], "panels": panels_for(request)}
    return render(request, "hub/dashboard.html", context)


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        form.throttle.succeeded()
        if two_factor.has_device(user):
            two_factor.start_second_step(self.request, user, self.get_success_url())
            return redirect("hub:login_code")
        response = super().form_valid(form)
        log_action(user, HubAction.LOGIN, user, ip=ratelimit.client_ip(self.request) or None)
        return response


@never_cache
def login_code(request):
    """The second step of signing in: a code from the authenticator app."""
    pending = two_factor.pending_sign_in(request)
    if pending is None:
        return redirect("hub:login")
    user, remembered = pending
    form = SignInCodeForm(request.POST or None, request=request, user=user)
    if request.method == "POST" and form.is_valid():
        form.throttle.succeeded()
        two_factor.end_second_step(request)
        user.otp_device = form.device  # django-otp marks the session verified on login
        auth_login(request, user, backend=remembered["backend"])
        log_action(user, HubAction.LOGIN, user, {"two_factor": True}, ip=form.throttle.ip or None)
        return redirect(remembered["next"])
    return render(request, "registration/login_code.html", {"form": form})


@never_cache
@role_required()
def two_factor_settings(request):
    """Enrol an authenticator app (start, then confirm with a code), or remove it (with a code)."""
    action = request.POST.get("action")
    form = CodeForm(request.POST if action in ("confirm", "remove") else None)
    if action == "start":
        if not two_factor.has_device(request.user):  # a new phone: turn it off (with a code) first
            two_factor.start_enrolment(actor=request.user)
        return redirect("hub:two_factor")
    if action == "confirm" and form.is_valid():
        device = two_factor.confirm_enrolment(actor=request.user, code=form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            messages.success(request, _("Two-factor sign-in is on: signing in now asks for a code."))
            return redirect("hub:two_factor")
        form.add_error("code", WRONG_CODE)
    if action == "remove" and form.is_valid():
        if two_factor.remove_device(actor=request.user, code=form.cleaned_data["code"]):
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("hub:two_factor")
        form.add_error("code", WRONG_CODE)
    device = two_factor.device_of(request.user)
    pending = None if device else two_factor.device_of(request.user, confirmed=False)
    context = {
        "form": form,
        "device": device,
        "pending": pending,
        "qr_svg": two_factor.qr_svg(pending) if pending else "",
        "manual_key": two_factor.manual_key(pending) if pending else "",
        "required": two_factor.must_enrol(request.user),
    }
    return render(request, "hub/two_factor.html", context)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = OutboxPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("hub:password_reset_done")

    def form_valid(self, form):
        # The answer is the same whether or not the address is known; only the rate differs.
        if ratelimit.hit("password-reset", ratelimit.client_ip(self.request), limit=5, window=3600):
            log_action(
                None,
                HubAction.PASSWORD_RESET_REQUESTED,
                data={"email": form.cleaned_data["email"]},
                ip=ratelimit.client_ip(self.request) or None,
            )
            return super().form_valid(form)
        form.add_error(None, _("Too many requests from your address. Please try again in an hour."))
        return self.form_invalid(form)


@require_POST
def set_language(request):
    """Django's language switch, which also remembers the choice on the signed-in user.

    Django translates ``next`` by resolving it in the request's language, which fails when the browser
    speaks another language than the page: it is resolved here in the language of its own prefix.
    """
    response = i18n.set_language(request)
    language = request.POST.get("language")
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            services.set_language(actor=request.user, language=language)
        if response.status_code == 302:
            with translation.override(translation.get_language_from_path(response.url)):
                response["Location"] = translate_url(response.url, language)
    return response


@role_required(Role.OPERATOR)
def outbox(request):
    form = OutboxFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(selectors.outbox_messages(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "counts": selectors.outbox_counts(),
        "bounces": selectors.email_bounces(),
        "query": _query_without_page(request),
    }
    template = "hub/outbox_rows.html" if request.htmx else "hub/outbox.html"
    return render(request, template, context)


@role_required(Role.OPERATOR)
def outbox_message(request, pk):
    message = get_object_or_404(OutboundMessage.objects.prefetch_related("attachments"), pk=pk)
    return render(request, "hub/outbox_message.html", {"message": message, "Channel": Channel})


@require_POST
@role_required(Role.OPERATOR)
def outbox_retry(request, pk):
    try:
        services.retry_message(actor=request.user, message_id=pk)
    except ValueError:
        messages.error(request, _("Only failed messages can be sent again."))
    else:
        messages.success(request, _("The message is queued again and will be sent within seconds."))
    return redirect("hub:outbox_message", pk=pk)


@role_required(Role.OPERATOR)
def audit(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(selectors.audit_entries(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page.object_list:
        entry.action_label = label(entry.action)
    context = {"form": form, "page": page, "query": _query_without_page(request)}
    return render(request, "hub/audit_rows.html" if request.htmx else "hub/audit.html", context)


@role_required(Role.OPERATOR)
def console_sms(request):
    page = Paginator(ConsoleSms.objects.all(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "hub/console_sms.html", {"page": page, "query": ""})


@never_cache
@role_required(*tokens.ROLES)
def api_tokens(request):
    """Personal API tokens: the user's own (an operator's: everyone's); a new one is shown once, here."""
    form = ApiTokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = tokens.create_token(
                actor=request.user,
                user=request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            created, form = (token, raw), ApiTokenForm()
    visible = selectors.api_tokens_visible_to(request.user)
    context = {
        "form": form,
        "page": Paginator(visible, PAGE_SIZE).get_page(request.GET.get("page")),
        "created": created,
        "query": "",
        "all_users": is_operator(request.user),
    }
    return render(request, "hub/api_tokens.html", context)


@require_POST
@role_required(*tokens.ROLES)
def api_token_revoke(request, pk):
    token = get_object_or_404(selectors.api_tokens_visible_to(request.user), pk=pk)
    if tokens.revoke_token(actor=request.user, token=token):
        messages.success(request, _("The token %(prefix)s… is revoked.") % {"prefix": token.prefix})
    return redirect("hub:api_tokens")


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- Machine endpoints (no language prefix) --------------------------------------------------------


@require_GET
def healthz_live(request):
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def healthz_ready(request):
    ready, checks = health.readiness()
    body = {"status": "ok" if ready else "error"}
    if health.shows_details_to(request):
        body["checks"] = checks
    return JsonResponse(body, status=200 if ready else 503)


TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


@csrf_exempt
@require_POST
def twilio_inbound_sms(request):
    """Inbound SMS from Twilio: STOP-type words suppress the number, START-type words lift it."""
    if not sms.is_valid_twilio_request(request):
        log_action(
            "twilio",
            HubAction.SMS_INBOUND_REJECTED,
            data={"reason": "bad signature"},
            ip=ratelimit.client_ip(request) or None,
        )
        return HttpResponseForbidden("invalid signature")
    number = request.POST.get("From", "")
    words = request.POST.get("Body", "").strip().upper().split()
    keyword = words[0] if words else ""
    if sms.is_e164(number) and keyword in sms.STOP_WORDS:
        services.suppress_address(
            actor="twilio", channel=Channel.SMS, address=number, reason=f"SMS {keyword}"
        )
    elif sms.is_e164(number) and keyword in sms.START_WORDS:
        services.unsuppress_address(
            actor="twilio", channel=Channel.SMS, address=number, reason=f"SMS {keyword}"
        )
    elif sms.is_e164(number):
        signals.sms_received.send_robust(sender="twilio", number=number, body=request.POST.get("Body", ""))
    return HttpResponse(TWIML_EMPTY, content_type="text/xml")


@csrf_exempt
def email_tracking(request, esp):
    """The email provider's tracking webhook: anymail verifies it as the provider signs it and sends
    ``anymail.signals.tracking`` (received in ``hub.receivers``); only the configured provider's is open."""
    if esp != settings.ANYMAIL_PROVIDER or esp not in email_providers.PROVIDERS:
        raise Http404
    return import_string(email_providers.tracking_view(esp)).as_view()(request, esp=esp)


@csrf_exempt
@require_POST
def twilio_status(request):
    """Delivery reports for sent SMS (Twilio's status callback)."""
    if not sms.is_valid_twilio_request(request):
        return HttpResponseForbidden("invalid signature")
    services.record_sms_status(
        sid=request.POST.get("MessageSid", ""),
        status=request.POST.get("MessageStatus", ""),
        error_code=request.POST.get("ErrorCode", ""),
        to=request.POST.get("To", ""),
    )
    return HttpResponse(status=204)
