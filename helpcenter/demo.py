"""Demo help centre: every article in fr/de/en from the content file, and the demo support contact data."""

from django.db import transaction

from hub.models import Role, User

from . import services
from .content import load_help_content
from .models import SupportPhoneLine, SupportSettings

DEMO_LINES = [
    ("BE", "+32 2 808 29 56", "Europe/Brussels"),
    ("CH", "+41 21 588 17 12", "Europe/Zurich"),
    ("FR", "+33 7 57 91 62 28", "Europe/Paris"),
    ("UK", "+44 7400 818530", "Europe/London"),
]


@transaction.atomic
def load(stdout):
    report = load_help_content()
    contact = SupportSettings.load()
    if not contact.support_email:
        contact.support_email = "support@guichet.example"
        contact.save()
    if not contact.phone_lines.exists():
        for order, (country, number, time_zone) in enumerate(DEMO_LINES):
            SupportPhoneLine.objects.create(
                settings=contact, country=country, number=number, time_zone=time_zone, sort_order=order
            )
    for user in User.objects.filter(role_assignments__role=Role.OPERATOR).distinct():
        services.sync_editor_access(user=user)
    stdout.write(f"Help centre: {report}; contact data with {contact.phone_lines.count()} phone lines.")
