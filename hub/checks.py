"""``manage.py check --deploy``: a server that sells for real names its database, Redis, email and SMS
providers (a demo, ``DEMO=1`` or ``DEBUG``, may run on the embedded defaults)."""

from django.conf import settings
from django.core import checks

from . import email_providers

CONSOLE_EMAIL = ("console", "filebased", "locmem", "dummy")


@checks.register(checks.Tags.security, deploy=True)
def production_services(app_configs, **kwargs):
    if settings.DEBUG or settings.DEMO:
        return []
    missing = []
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        missing.append("DATABASE_URL (PostgreSQL): the embedded SQLite file is for demos")
    if not settings.REDIS_URL:
        missing.append("REDIS_URL: the task queue and the cache need Redis")
    provider = settings.ANYMAIL_PROVIDER
    if provider and provider not in email_providers.PROVIDERS:
        missing.append(f"ANYMAIL_PROVIDER={provider!r} is not one of {', '.join(email_providers.PROVIDERS)}")
    elif provider:
        missing += [
            f"ANYMAIL_{name} for ANYMAIL_PROVIDER={provider}"
            for name in email_providers.required_settings(provider)
            if not settings.ANYMAIL.get(name)
        ]
    elif any(kind in settings.EMAIL_BACKEND for kind in CONSOLE_EMAIL):
        missing.append("EMAIL_URL (SMTP) or ANYMAIL_PROVIDER: emails would go nowhere")
    if settings.SMS_BACKEND != "twilio":
        missing.append("TWILIO_ACCOUNT_SID: SMS and phone verification would go nowhere")
    else:
        missing += [
            name
            for name in ("TWILIO_AUTH_TOKEN", "TWILIO_MESSAGING_SERVICE_SID", "TWILIO_VERIFY_SERVICE_SID")
            if not getattr(settings, name)
        ]
    return [
        checks.Error(f"Set {item}.", hint="See the README's go-live checklist.", id="hub.E010")
        for item in missing
    ]
