import uuid

import pytest

from statuspage.models import Component, ComponentGroup, Playbook
from tests.escalation.conftest import organisation, support_lines  # noqa: F401 (fixtures)

WEBHOOK = "/webhooks/rest/webhook"


@pytest.fixture
def components(db):
    group = ComponentGroup.objects.create(
        slug="on-site", name_fr="Sur place", name_de="Vor Ort", name_en="On site"
    )
    Playbook.objects.create(
        key="cash-only",
        title_fr="Encaisser à la main",
        title_de="Von Hand kassieren",
        title_en="Take payments by hand",
        body_fr="Notez les ventes sur papier et saisissez-les ensuite.",
        body_de="Notieren Sie die Verkäufe auf Papier und erfassen Sie sie danach.",
        body_en="Write the sales down and enter them afterwards.",
    )
    return {
        slug: Component.objects.create(slug=slug, group=group, name_fr=fr, name_de=de, name_en=en, position=n)
        for n, (slug, fr, de, en) in enumerate(
            [
                ("pos", "Caisse (POS)", "Kasse (POS)", "Till (POS)"),
                ("door-scanning", "Contrôle d’accès", "Einlass", "Door scanning"),
                ("online-booking", "Réservation en ligne", "Online-Buchung", "Online booking"),
            ]
        )
    }


class Chat:
    """One conversation through the REST channel, as the widget holds it."""

    def __init__(self, client, lang="fr", country=""):
        self.client, self.sender, self.lang, self.country = client, uuid.uuid4().hex, lang, country

    def say(self, text, **extra):
        metadata = {"lang": self.lang, **({"country": self.country} if self.country else {})}
        response = self.client.post(
            WEBHOOK,
            {"sender": self.sender, "message": text, "metadata": metadata},
            content_type="application/json",
            **extra,
        )
        assert response.status_code == 200, response.content
        return response.json()

    @staticmethod
    def text(replies) -> str:
        return "\n".join(reply.get("text", "") for reply in replies)


@pytest.fixture
def chat(client):
    return lambda lang="fr", country="": Chat(client, lang, country)
