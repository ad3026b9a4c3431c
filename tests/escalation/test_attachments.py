"""C2 attachments: the type is read from the content, metadata is dropped, files are served only to their
organisation and support staff, and never as a page."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from escalation.attachments import check_file, check_files
from escalation.models import Attachment
from hub.models import Role
from tests.helpers import make_user
from tests.ticketing.factories import OrganisationFactory

from .conftest import new_request

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def photo_with_location() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {2: (46.0, 31.0, 12.0)}  # GPS latitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.mark.parametrize(
    "name, content",
    [
        ("screenshot.png", ELF),
        ("capture.png", WINDOWS_EXE),
        ("capture.png", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("erreur.log", b"<html><body onload=alert(1)>"),
        ("note.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("broken.jpg", b"\xff\xd8\xff\xe0" + b"not really a jpeg"),
    ],
)
def test_executables_markup_and_broken_images_are_refused_whatever_their_name(name, content):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        check_file(name, content)
    assert "cannot be attached" in refused.value.messages[0]


def test_images_lose_their_metadata_and_keep_their_pixels():
    original = photo_with_location()
    assert b"PhoneMaker" in original
    checked = check_file("IMG_2041.JPG", original)
    assert checked.content_type == "image/jpeg" and checked.name == "IMG_2041.jpg"
    assert b"PhoneMaker" not in checked.content
    with Image.open(io.BytesIO(checked.content)) as image:
        assert image.size == (40, 30) and not image.getexif()


def test_logs_pdf_and_video_are_accepted_by_their_content():
    assert check_file("console.log", "Erreur 502 à 19:04\n".encode()).content_type == "text/plain"
    assert check_file("facture", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n").content_type == "application/pdf"
    assert check_file("logs.txt", b"%PDF-1.4\n...").name == "logs.pdf"  # named after what it is


@translation.override("en")
def test_oversize_and_too_many_files_are_refused_with_a_clear_message(settings):
    settings.SUPPORT_ATTACHMENT_MAX_BYTES = 1024
    big = SimpleUploadedFile("video.mp4", b"\x00" * 2048)
    with pytest.raises(ValidationError) as refused:
        check_files([big])
    assert "at most 1.0\xa0KB" in refused.value.messages[0] and "video.mp4" in refused.value.messages[0]
    small = [SimpleUploadedFile(f"log{n}.txt", b"ok ok ok") for n in range(6)]
    with pytest.raises(ValidationError) as refused:
        check_files(small)
    assert "at most 5 files" in refused.value.messages[0]


@pytest.mark.django_db
def test_a_file_is_served_to_its_organisation_and_support_and_is_a_404_for_anyone_else(
    client, organisation, settings
):
    seller = make_user("caisse", Role.SELLER_ADMIN)
    organisation.memberships.create(user=seller, role=Role.SELLER_ADMIN)
    request = new_request(organisation, requester=seller)
    attachment = Attachment(request=request, name="ecran.png", content_type="image/png", size=3)
    attachment.file.save("ecran.png", ContentFile(b"png"), save=True)
    url = f"/fr/support/files/{attachment.pk}/"

    assert client.get(url).status_code == 404  # anonymous
    stranger = make_user("autre", Role.SELLER_ADMIN)
    OrganisationFactory().memberships.create(user=stranger, role=Role.SELLER_ADMIN)
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    for user in (seller, make_user("agent", Role.SUPPORT_AGENT)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018 - no public URL
    assert attachment.file.path.startswith(str(settings.SUPPORT_FILES_ROOT))


@pytest.mark.django_db
def test_a_text_file_is_downloaded_never_shown_inline(client, organisation):
    request = new_request(organisation)
    attachment = Attachment(request=request, name="trace.txt", content_type="text/plain", size=3)
    attachment.file.save("trace.txt", ContentFile(b"abc"), save=True)
    client.force_login(make_user("agent", Role.SUPPORT_AGENT))
    response = client.get(f"/fr/support/files/{attachment.pk}/")
    assert response["Content-Disposition"].startswith("attachment")
