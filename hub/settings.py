"""Guichet settings, read once from the environment (django-environ).

With no environment at all Guichet runs on its embedded defaults: SQLite in ``var/``, a Celery broker
on the file system, a file cache shared by every process, console email and console SMS. Production
sets ``DATABASE_URL``, ``REDIS_URL``, ``EMAIL_URL``, ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``HTTPS``
(see ``.env.example``).
"""

import os
import secrets
from decimal import Decimal
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from hub import browser_policies

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
env.read_env(BASE_DIR / ".env")  # optional; real environment variables win

VAR_DIR = Path(env("GUICHET_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)
DEMO = env.bool("DEMO", default=False)  # a demo server: demo bank and demo data allowed with DEBUG off
EMBEDDED_DATABASE = "DATABASE_URL" not in env


def _secret_key() -> str:
    """The environment's key; on the embedded defaults only, one generated once into var/."""
    if "SECRET_KEY" in env:
        return env("SECRET_KEY")
    if not EMBEDDED_DATABASE:
        raise ImproperlyConfigured("SECRET_KEY must be set when DATABASE_URL is set (production).")
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
NUM_PROXIES = env.int("NUM_PROXIES", default=0)  # trusted reverse proxies in front of gunicorn
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "hub",
    "ticketing",
    "statuspage",
    "helpcenter",
    "escalation",
    "chatbot",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_htmx",
    "ninja",  # /api/docs from its own static files, not a CDN with an inline script
    "csp",
    "django_otp",
    "anymail",
    "django_otp.plugins.otp_totp",
    # Wagtail: the help centre's pages and its editors' admin (operators only).
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hub.security_headers.ContentSecurityPolicyMiddleware",
    "hub.security_headers.permissions_policy",
    "hub.middleware.LeanPathMiddleware",  # LEAN_PATHS stop here: the rest is for pages
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "helpcenter.middleware.wagtail_admin",
    "hub.middleware.SecondFactorMiddleware",
]

# Token-authenticated endpoints whose every millisecond counts: the door scanners' scan API.
LEAN_PATHS = frozenset({"/api/v1/checkin/scan/"})

ROOT_URLCONF = "hub.urls"
WSGI_APPLICATION = "hub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hub.context_processors.backoffice",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'guichet.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and scheduler share one file: WAL lets readers and a writer work together, and
    # IMMEDIATE transactions queue writers instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    # A health check costs one round trip on every request; without it a connection broken by a database
    # restart fails one request, then is replaced.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=False)
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", default="test_guichet")}
    # For hub.db.prepared_cursor (the door's scan): Django's own cursors bind on the client, never prepared.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery -----------------------------------------------------------------------------

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
    _queue_dir = VAR_DIR / "celery" / "queue"
    _control_dir = VAR_DIR / "celery" / "control"
    for _folder in (_queue_dir, _control_dir):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://localhost//"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "control_folder": str(_control_dir),
        "store_processed": False,
        "polling_interval": 0.5,
    }

CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/Paris"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "outbox-deliver-due": {"task": "hub.tasks.deliver_due_messages", "schedule": 30.0},
    "outbox-purge-sent-bodies": {"task": "hub.tasks.purge_sent_bodies", "schedule": 3600.0},
    "expire-unpaid-orders": {"task": "ticketing.expire_orders", "schedule": 60.0},
    "compute-settlements": {"task": "ticketing.compute_settlements", "schedule": 3600.0},
    "dispatch-listings": {"task": "ticketing.dispatch_listings", "schedule": 60.0},
    "status-maintenance-schedule": {"task": "statuspage.run_maintenance_schedule", "schedule": 60.0},
    "status-snapshot": {"task": "statuspage.rebuild_snapshot", "schedule": 60.0},
    "support-sla-sweep": {"task": "escalation.sweep_sla", "schedule": 60.0},
    "support-page-backups": {"task": "escalation.page_backups", "schedule": 30.0},
    "support-files-sweep": {"task": "escalation.sweep_files", "schedule": 3600.0},
    "chatbot-purge-transcripts": {"task": "chatbot.purge_transcripts", "schedule": 24 * 3600.0},
}

# --- Email, SMS, outbox ---------------------------------------------------------------------------

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# An email provider's HTTP API through django-anymail instead of SMTP: ANYMAIL_PROVIDER names anymail's
# backend ("mailgun", "postmark", "sendgrid", "brevo", "amazon_ses" …) and ANYMAIL_<SETTING> variables give
# its credentials (ANYMAIL_MAILGUN_API_KEY, ANYMAIL_MAILGUN_SENDER_DOMAIN …, see anymail's docs). Its tracking
# webhook is /hooks/email/<provider>/tracking/: bounces and complaints suppress the address.
ANYMAIL_PROVIDER = env("ANYMAIL_PROVIDER", default="")
if ANYMAIL_PROVIDER:
    EMAIL_BACKEND = f"anymail.backends.{ANYMAIL_PROVIDER}.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Guichet <no-reply@guichet.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)

TWILIO_ACCOUNT_SID = env("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN", default="")
TWILIO_MESSAGING_SERVICE_SID = env("TWILIO_MESSAGING_SERVICE_SID", default="")
TWILIO_VERIFY_SERVICE_SID = env("TWILIO_VERIFY_SERVICE_SID", default="")
SMS_BACKEND = env("SMS_BACKEND", default="twilio" if TWILIO_ACCOUNT_SID else "console")
# Verification codes (seller phones, status-page SMS subscriptions) go only to mobiles of these countries,
# and only so many a day: to one number, for one client address, and in all.
SMS_ALLOWED_COUNTRIES = [
    country.upper()
    for country in env.list(
        "SMS_ALLOWED_COUNTRIES", default=["BE", "CH", "FR", "GB", "DE", "LU", "NL", "IT", "ES", "AT"]
    )
]
SMS_DAILY_LIMIT_PER_NUMBER = env.int("SMS_DAILY_LIMIT_PER_NUMBER", default=5)
SMS_DAILY_LIMIT_PER_ADDRESS = env.int("SMS_DAILY_LIMIT_PER_ADDRESS", default=10)
SMS_DAILY_LIMIT = env.int("SMS_DAILY_LIMIT", default=500)

OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=100)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=15)
OUTBOX_RETRY_BASE_SECONDS = env.int("OUTBOX_RETRY_BASE_SECONDS", default=30)
OUTBOX_RETRY_MAX_SECONDS = env.int("OUTBOX_RETRY_MAX_SECONDS", default=3600)
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=300)
# Sent messages lose their body, HTML and attachments after this many days (unsent ones keep them).
OUTBOX_BODY_RETENTION_DAYS = env.int("OUTBOX_BODY_RETENTION_DAYS", default=30)
# Webhooks never go to private, loopback or link-local addresses, except to these networks.
WEBHOOK_ALLOWED_NETWORKS = env.list("WEBHOOK_ALLOWED_NETWORKS", default=[])
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)

# --- Ticketing ------------------------------------------------------------------------------------

CURRENCY = "EUR"
# Seats per category a box-office station keeps in hand to sell offline (its allotment, topped up online)
POS_ALLOTMENT_PER_CATEGORY = env.int("POS_ALLOTMENT_PER_CATEGORY", default=10)
COMMISSION_PERCENT = Decimal(env("COMMISSION_PERCENT", default="0.0125"))  # of the ticket price incl. VAT
COMMISSION_FIXED = Decimal(env("COMMISSION_FIXED", default="0.50"))  # per ticket, excl. VAT
COMMISSION_MINIMUM = Decimal(env("COMMISSION_MINIMUM", default="1.00"))  # per ticket, excl. VAT
COMMISSION_VAT_RATE = Decimal(env("COMMISSION_VAT_RATE", default="0.20"))  # VAT charged on the commission
ORDER_HOLD_MINUTES = env.int("ORDER_HOLD_MINUTES", default=15)  # an unpaid order keeps its seats this long
# Kiosk mode (P5): an order to pay at the counter keeps its seats this long; an untouched kiosk goes back to
# its start screen after KIOSK_IDLE_SECONDS; a kiosk's pairing code works this many hours
KIOSK_HOLD_MINUTES = env.int("KIOSK_HOLD_MINUTES", default=30)
KIOSK_IDLE_SECONDS = env.int("KIOSK_IDLE_SECONDS", default=60)
KIOSK_PAIRING_HOURS = 24
MAX_TICKETS_PER_ORDER = env.int("MAX_TICKETS_PER_ORDER", default=10)  # the event page offers no more
SETTLEMENT_DELAY_DAYS = 15  # payout due this many days after the event (T6)
# Production names its provider; only a demo (DEBUG or DEMO) may use the demo bank, its default there.
PAYMENT_PROVIDER = env("PAYMENT_PROVIDER", default="demo" if DEBUG or DEMO else "")
# Stripe Checkout (PAYMENT_PROVIDER=stripe): the secret API key, the webhook endpoint's signing secret, and
# the API's address (a local stand-in in the tests)
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env("STRIPE_API_BASE", default="https://api.stripe.com")
# Where each provider's hosted payment page is: the checkout's POST is redirected there, so the policy's
# form-action allows the current provider's (hub.security_headers adds it to every page)
PAYMENT_PAGE_ORIGINS = {"stripe": ["https://checkout.stripe.com"]}
VERIFICATION_RESEND_SECONDS = env.int("VERIFICATION_RESEND_SECONDS", default=60)
SCAN_ON_AIR_REFRESH_SECONDS = env.int("SCAN_ON_AIR_REFRESH_SECONDS", default=60)  # T7: every minute
LISTING_WINDOW_MINUTES = 10  # T2: listings go out ±10 minutes around the end of sales

# --- Status page ----------------------------------------------------------------------------------

STATUS_PAGE_NAME = env("STATUS_PAGE_NAME", default="Guichet")
STATUS_MAINTENANCE_REMINDER_MINUTES = 60  # subscribers are reminded this long before a maintenance
STATUS_NOTICE_POLL_SECONDS = env.int("STATUS_NOTICE_POLL_SECONDS", default=30)  # back-office pop-up check
# The page's last resort when the database is down; web and workers share it in production.
STATUS_SNAPSHOT_FILE = Path(env("STATUS_SNAPSHOT_FILE", default=str(VAR_DIR / "status-snapshot.json")))

# --- Help centre (Wagtail) -----------------------------------------------------------------------

WAGTAIL_SITE_NAME = "Guichet"
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = WAGTAILADMIN_PERMITTED_LANGUAGES = [
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("en", "English"),
]
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILADMIN_LOGIN_URL = "hub:login"
WAGTAILDOCS_EXTENSIONS = ["pdf", "png", "jpg", "jpeg", "webp", "txt", "csv", "xlsx"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no editor's email hash leaves for a third party
WAGTAILADMIN_COMMENTS_ENABLED = False
HELP_FEEDBACK_RATE_LIMIT = env.int("HELP_FEEDBACK_RATE_LIMIT", default=60)  # votes per IP and hour
# The help pages' last resort when the database is down; web and workers share it in production.
HELP_SNAPSHOT_FILE = Path(env("HELP_SNAPSHOT_FILE", default=str(VAR_DIR / "help-pages.zip")))

# --- Support desk --------------------------------------------------------------------------------

# Attachments (screenshots, videos, logs) live outside the public media, served through a permission check.
SUPPORT_FILES_ROOT = Path(env("SUPPORT_FILES_ROOT", default=str(VAR_DIR / "support-files")))
SUPPORT_ATTACHMENTS_MAX = 5
SUPPORT_ATTACHMENT_MAX_BYTES = env.int("SUPPORT_ATTACHMENT_MAX_MB", default=20) * 1024 * 1024
SUPPORT_PUBLIC_REQUESTS_PER_HOUR = env.int("SUPPORT_PUBLIC_REQUESTS_PER_HOUR", default=5)  # per address
# Who gets an escalation when the organisation has no account manager (C5): a user name.
SUPPORT_HEAD = env("SUPPORT_HEAD", default="")
# SLA per priority: minutes to the first response and to the resolution, in business hours of the request's
# support line; urgent requests count around the clock (on-call answers them). "first,resolution" in minutes.
SUPPORT_SLA_MINUTES = {
    priority: tuple(int(n) for n in env(f"SUPPORT_SLA_{priority.upper()}", default=default).split(","))
    for priority, default in (
        ("urgent", "30,480"),
        ("high", "240,1440"),
        ("normal", "480,2880"),
        ("low", "960,4800"),
    )
}
SUPPORT_SLA_WARNING_MINUTES = env.int("SUPPORT_SLA_WARNING_MINUTES", default=30)  # the queue warns this early
SUPPORT_PAGE_ACK_MINUTES = env.int("SUPPORT_PAGE_ACK_MINUTES", default=10)  # then the backup is paged
SUPPORT_CLOSE_RESOLVED_DAYS = 7  # a resolved request closes itself after this
# Replies by email come back to support+<token>@SUPPORT_REPLY_DOMAIN (anymail's inbound webhook).
SUPPORT_REPLY_DOMAIN = env("SUPPORT_REPLY_DOMAIN", default="reply.guichet.localhost")

# --- Chatbot (the embedded assistant; Rasa-compatible endpoints) -------------------------------------
CHATBOT_MODEL_PATH = Path(env("CHATBOT_MODEL_PATH", default=str(VAR_DIR / "chatbot" / "intents.joblib")))
CHATBOT_TRANSCRIPT_DAYS = env.int("CHATBOT_TRANSCRIPT_DAYS", default=90)  # then a request's transcript goes
CHATBOT_MESSAGES_PER_MINUTE = env.int("CHATBOT_MESSAGES_PER_MINUTE", default=30)  # per sender and per address
CHATBOT_MAX_MESSAGE_LENGTH = 1000
# The inbound route (Mailgun "forward" to /hooks/email/mailgun/inbound/) is signed with this key; without it
# the endpoint answers 404 and replies by email do not reach requests.
# One anymail configuration for both (sending and tracking above, inbound replies here).
ANYMAIL = {
    "MAILGUN_WEBHOOK_SIGNING_KEY": env("MAILGUN_WEBHOOK_SIGNING_KEY", default=""),
    **{
        name.removeprefix("ANYMAIL_"): value
        for name, value in os.environ.items()
        if name.startswith("ANYMAIL_") and name != "ANYMAIL_PROVIDER"
    },
}

# --- Accounts -------------------------------------------------------------------------------------

AUTH_USER_MODEL = "hub.User"
AUTHENTICATION_BACKENDS = ["hub.backends.UsernameOrEmailBackend"]
LOGIN_URL = "hub:login"
LOGIN_REDIRECT_URL = "hub:dashboard"
LOGOUT_REDIRECT_URL = "hub:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed sign-ins per window (hub.forms.SignInThrottle): per (address, account) pair; per account from
# any address, higher, so a handful of tries never locks the owner out; per address, counting distinct
# accounts only, so one person's typos never lock out a colleague at the same venue.
LOGIN_RATE_LIMIT = env.int("LOGIN_RATE_LIMIT", default=5)
LOGIN_RATE_LIMIT_PER_ADDRESS = env.int("LOGIN_RATE_LIMIT_PER_ADDRESS", default=30)  # distinct accounts
LOGIN_RATE_LIMIT_PER_ACCOUNT = env.int("LOGIN_RATE_LIMIT_PER_ACCOUNT", default=50)
LOGIN_RATE_WINDOW_SECONDS = env.int("LOGIN_RATE_WINDOW_SECONDS", default=900)
PASSWORD_RESET_TIMEOUT = 3 * 3600
# Two-factor sign-in (TOTP apps) is optional for staff; with this on, operators must set it up first.
REQUIRE_2FA_FOR_OPERATORS = env.bool("REQUIRE_2FA_FOR_OPERATORS", default=False)
OTP_TOTP_ISSUER = "Guichet"  # the name authenticator apps show

# --- Languages and time ---------------------------------------------------------------------------

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["hub.formats"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Production images run collectstatic and serve hashed, forever-cached files (STATIC_MANIFEST=1);
# elsewhere whitenoise serves the source folders directly.
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST

# --- Security -------------------------------------------------------------------------------------

HTTPS = env.bool("HTTPS", default=False)  # served over TLS behind a proxy: secure cookies, HSTS
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz/"]  # container health checks speak plain HTTP
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if NUM_PROXIES:  # only a proxy's X-Forwarded-Proto is believed; without one, it is the client's word
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy and Permissions-Policy: constants, in hub/browser_policies.py
CONTENT_SECURITY_POLICY = browser_policies.CONTENT_SECURITY_POLICY
CMS_CONTENT_SECURITY_POLICY = browser_policies.CMS_CONTENT_SECURITY_POLICY
PERMISSIONS_POLICY_DENIED = browser_policies.PERMISSIONS_POLICY_DENIED

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"refusal_on_one_line": {"()": "hub.logs.RefusalOnOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own console handler (DEBUG) would print every record of "django.*" a second time
        # through the root's: records go to the root's handler only.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.request": {"filters": ["refusal_on_one_line"]},
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},  # Wagtail's in-process index and reference updates
        "wagtail": {"level": "WARNING"},
    },
}
