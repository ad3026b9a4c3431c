"""The support request form at /<lang>/support/new/: member and public variants, files kept across errors."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from escalation.models import Deflection, SupportRequest
from hub.models import Role
from tests.helpers import make_user

pytestmark = pytest.mark.django_db
URL = "/fr/support/new/"


@pytest.fixture
def seller(organisation):
    user = make_user("caisse", Role.SELLER_ADMIN)
    organisation.memberships.create(user=user, role=Role.SELLER_ADMIN)
    return user


def fields(**overrides):
    data = {
        "subject": "Facture d'octobre",
        "body": "Pouvez-vous renvoyer la facture d'octobre, s'il vous plaît ?",
        "channels": ["payouts"],
        "country": "CH",
        "moment_0": "2026-11-28T19:05",
        "time_zone": "Europe/Zurich",
    }
    data.update(overrides)
    return data


def log_file(name="erreur.log", content=b"HTTP 502 at 19:04"):
    return SimpleUploadedFile(name, content, content_type="text/plain")


def test_staff_see_their_account_fixed_and_send_a_request_with_a_file(
    client, support_lines, organisation, seller
):
    client.force_login(seller)
    page = client.get(URL).content.decode()
    assert organisation.account_id in page and 'name="email"' not in page
    response = client.post(URL, {**fields(organisation=organisation.pk), "files": [log_file()]})
    assert response.status_code == 302
    request = SupportRequest.objects.get()
    assert request.organisation == organisation and request.requester == seller
    assert request.moments == ["2026-11-28T19:05:00+01:00"]
    assert [a.name for a in request.attachments.all()] == ["erreur.log"]
    sent = client.get(response["Location"]).content.decode()
    assert request.reference in sent


def test_a_validation_error_keeps_what_was_typed_and_uploaded(client, support_lines, seller, organisation):
    client.force_login(seller)
    response = client.post(URL, {**fields(organisation=organisation.pk, subject=""), "files": [log_file()]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "renvoyer la facture" in page and "erreur.log" in page
    kept = re.search(r'name="kept" value="([^"]+)"', page).group(1)
    response = client.post(URL, fields(organisation=organisation.pk, kept=kept))
    assert response.status_code == 302
    assert [a.name for a in SupportRequest.objects.get().attachments.all()] == ["erreur.log"]


def test_a_sixth_file_is_refused_and_the_five_that_fit_are_kept(client, support_lines, seller, organisation):
    client.force_login(seller)
    files = [log_file(f"log{n}.txt", f"ligne {n}".encode()) for n in range(6)]
    response = client.post(URL, {**fields(organisation=organisation.pk), "files": files})
    assert response.status_code == 400 and not SupportRequest.objects.exists()
    page = response.content.decode()
    assert "au plus 5\xa0fichiers" in page or "5 fichiers" in page
    kept = re.search(r'name="kept" value="([^"]+)"', page).group(1)
    response = client.post(URL, fields(organisation=organisation.pk, kept=kept))
    assert response.status_code == 302
    assert sorted(a.name for a in SupportRequest.objects.get().attachments.all()) == [
        f"log{n}.txt" for n in range(5)
    ]


def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_sent(client, support_lines):
    fake = SimpleUploadedFile("capture.png", b"MZ\x90\x00" + b"\x00" * 100, content_type="image/png")
    response = client.post(URL, {**fields(email="x@example.org"), "files": [fake]})
    assert response.status_code == 400
    assert "capture.png" in response.content.decode()
    assert not SupportRequest.objects.exists()


def test_the_public_form_needs_an_email_and_is_rate_limited(client, settings, support_lines):
    settings.SUPPORT_PUBLIC_REQUESTS_PER_HOUR = 2
    assert client.post(URL, fields()).status_code == 400  # no email
    for _ in range(2):
        assert client.post(URL, fields(email="fan@example.org")).status_code == 302
    response = client.post(URL, fields(email="fan@example.org"))
    assert response.status_code == 400
    assert SupportRequest.objects.count() == 2


def test_a_forged_sent_link_is_a_404(client):
    assert client.get("/fr/support/sent/SR-AAAAAA/").status_code == 404


def test_an_article_opened_from_the_form_counts_as_deflected_unless_a_request_follows(
    client, support_lines, seller, organisation, help_content
):
    from helpcenter import suggest

    suggest.content_changed()  # an index built before the content was loaded is dropped
    panel = client.get("/fr/support/new/help/", {"body": "le scanner affiche rouge pour tous les billets"})
    keys = re.findall(r"/support/new/help/([\w-]+)/", panel.content.decode())
    assert keys, "an article is suggested"
    assert client.get(f"/fr/support/new/help/{keys[0]}/").status_code == 302
    assert Deflection.objects.count() == 1  # this visitor left: deflected
    staff = Client()
    staff.force_login(seller)
    staff.get(f"/fr/support/new/help/{keys[0]}/")
    assert staff.post(URL, fields(organisation=organisation.pk)).status_code == 302
    assert Deflection.objects.count() == 1  # this one sent a request after all
