import pytest

from helpcenter.models import SupportPhoneLine, SupportSettings


@pytest.fixture
def support_lines(db):
    """The demo's contact data: weekdays 09:00–18:00, lines in Belgium, Switzerland, France and the UK."""
    contact = SupportSettings.load()
    contact.support_email = "support@guichet.example"
    contact.save()
    for order, (country, number, zone) in enumerate(
        [
            ("BE", "+32 2 808 29 56", "Europe/Brussels"),
            ("CH", "+41 21 588 17 12", "Europe/Zurich"),
            ("FR", "+33 7 57 91 62 28", "Europe/Paris"),
            ("UK", "+44 7400 818530", "Europe/London"),
        ]
    ):
        SupportPhoneLine.objects.create(
            settings=contact, country=country, number=number, time_zone=zone, sort_order=order
        )
    return contact


@pytest.fixture
def organisation(db):
    from tests.ticketing.factories import OrganisationFactory

    return OrganisationFactory(country="CH")


def new_request(organisation=None, **fields):
    from escalation.models import SupportRequest

    fields.setdefault("requester_email", "caisse@salle.example")
    fields.setdefault("country", "CH")
    fields.setdefault("subject", "Les scanners refusent tous les billets")
    fields.setdefault("body", "Depuis 19 h plus aucun billet ne passe à l'entrée.")
    return SupportRequest.objects.create(organisation=organisation, **fields)
