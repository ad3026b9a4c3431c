"""``manage.py check --deploy``: a server that is not a demo names its payment provider."""

from django.conf import settings
from django.core import checks

from .payments import PROVIDERS, is_demo


@checks.register(checks.Tags.security, deploy=True)
def payment_provider(app_configs, **kwargs):
    code = settings.PAYMENT_PROVIDER
    if not code:
        message = "PAYMENT_PROVIDER is not set."
    elif code not in PROVIDERS:
        message = f"PAYMENT_PROVIDER={code!r} is not a known provider ({', '.join(sorted(PROVIDERS))})."
    elif code == "demo" and not is_demo():
        message = "PAYMENT_PROVIDER=demo is the demo bank: it pays for tickets with any made-up card."
    elif code == "stripe" and not (settings.STRIPE_SECRET_KEY and settings.STRIPE_WEBHOOK_SECRET):
        message = "PAYMENT_PROVIDER=stripe needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET."
    else:
        return []
    hint = "Name the payment provider and its keys, or set DEMO=1 on a demo server (never in production)."
    return [checks.Error(message, hint=hint, id="ticketing.E001")]
