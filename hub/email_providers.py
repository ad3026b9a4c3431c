"""The email providers Guichet can send through with django-anymail (``ANYMAIL_PROVIDER``): the settings
each one needs in ``ANYMAIL`` and anymail's view for its tracking webhook."""

PROVIDERS = {
    "mailgun": (("MAILGUN_API_KEY", "MAILGUN_WEBHOOK_SIGNING_KEY"), "mailgun.MailgunTrackingWebhookView"),
    "postmark": (("POSTMARK_SERVER_TOKEN", "WEBHOOK_SECRET"), "postmark.PostmarkTrackingWebhookView"),
    "sendgrid": (("SENDGRID_API_KEY", "WEBHOOK_SECRET"), "sendgrid.SendGridTrackingWebhookView"),
    "brevo": (("BREVO_API_KEY", "WEBHOOK_SECRET"), "brevo.BrevoTrackingWebhookView"),
    "amazon_ses": (("WEBHOOK_SECRET",), "amazon_ses.AmazonSESTrackingWebhookView"),
}


def required_settings(provider: str) -> tuple[str, ...]:
    return PROVIDERS[provider][0]


def tracking_view(provider: str) -> str:
    return f"anymail.webhooks.{PROVIDERS[provider][1]}"
