"""Root URLconf. HTML pages live under a language prefix (/fr/, /de/, /en/); machine endpoints don't.

Machine endpoints have plain names (``reverse("healthz_ready")``), pages the ``hub:`` namespace.
Apps are named by dotted string only, so the hub never imports them.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path, reverse_lazy
from django.views.static import serve

from . import views
from .api import api

machine_patterns = [
    path("healthz/live", views.healthz_live, name="healthz_live"),
    path("healthz/ready", views.healthz_ready, name="healthz_ready"),
    path("hooks/twilio/sms/", views.twilio_inbound_sms, name="twilio_inbound"),
    path("hooks/twilio/status/", views.twilio_status, name="twilio_status"),
    path("hooks/email/<str:esp>/tracking/", views.email_tracking, name="email_tracking"),
    path("i18n/setlang/", views.set_language, name="set_language"),
]

page_patterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/login/code/", views.login_code, name="login_code"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("hub:password_reset_complete")),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
    path("backoffice/", views.dashboard, name="dashboard"),
    path("backoffice/outbox/", views.outbox, name="outbox"),
    path("backoffice/outbox/<int:pk>/", views.outbox_message, name="outbox_message"),
    path("backoffice/outbox/<int:pk>/retry/", views.outbox_retry, name="outbox_retry"),
    path("backoffice/audit/", views.audit, name="audit"),
    path("backoffice/sms/", views.console_sms, name="console_sms"),
    path("backoffice/two-factor/", views.two_factor_settings, name="two_factor"),
    path("backoffice/api-tokens/", views.api_tokens, name="api_tokens"),
    path("backoffice/api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]

# The status page comes first: it is what is read most when everything else is down (S1).
urlpatterns = [
    *machine_patterns,
    path("", include("statuspage.machine_urls")),
    path("api/", api.urls),
    path("", include("ticketing.machine_urls")),
    path("", include("helpcenter.machine_urls")),
    path("", include("escalation.machine_urls")),
    path("", include("chatbot.machine_urls")),
    *i18n_patterns(
        path("", include("statuspage.urls")),
        path("", include((page_patterns, "hub"))),
        path("", include("ticketing.urls")),
        path("", include("helpcenter.urls")),
        path("", include("escalation.urls")),
        path("help/", include("wagtail.urls")),  # the help centre's pages, one tree per language
    ),
]

# Uploaded help-centre images on a development or demo server (no reverse proxy there); in production
# the reverse proxy serves MEDIA_ROOT.
if settings.DEBUG or settings.DEMO:
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]
