"""What a support request may carry (C2): screenshots, videos and error logs, checked by their content.

The type is read from the bytes with `filetype`, never from the name or the browser's word; text is
accepted only as plain UTF-8 that does not look like markup. Image metadata (location, camera, author) is
dropped by re-encoding the pixels. The files are stored outside the public media (``storage.private_files``).
"""

import io
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/webp": ".webp",
    "image/gif": ".gif",
    "application/pdf": ".pdf",
    "video/mp4": ".mp4",
    "video/webm": ".webm",
    "text/plain": ".txt",
}
RE_ENCODED = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP"}
TEXT_SUFFIXES = {".txt", ".log", ".text", ""}
MARKUP = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe")


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    content: bytes


def _refuse(name: str) -> ValidationError:
    return ValidationError(
        _(
            "“%(name)s” cannot be attached: send screenshots (PNG, JPEG, WebP, GIF), videos (MP4, WebM), "
            "PDF or plain-text logs."
        ),
        code="file_type",
        params={"name": name},
    )


def _text_type(name: str, content: bytes) -> str | None:
    if PurePath(name).suffix.lower() not in TEXT_SUFFIXES or b"\x00" in content:
        return None
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    head = content[:4096].lower()
    return None if any(tag in head for tag in MARKUP) else "text/plain"


def _without_metadata(content: bytes, content_type: str) -> bytes:
    """The pixels only, turned upright and re-encoded: EXIF, XMP, comments and text chunks are gone."""
    with Image.open(io.BytesIO(content)) as image:
        image = ImageOps.exif_transpose(image)
        clean = Image.frombytes(image.mode, image.size, image.tobytes())
        if image.mode == "P":
            clean.putpalette(image.getpalette())
        out = io.BytesIO()
        clean.save(out, RE_ENCODED[content_type], **({"quality": 92} if content_type == "image/jpeg" else {}))
        return out.getvalue()


def _too_big(name: str, size: int) -> ValidationError:
    return ValidationError(
        _("“%(name)s” is %(size)s: each file may be at most %(limit)s."),
        code="file_size",
        params={
            "name": name,
            "size": filesizeformat(size),
            "limit": filesizeformat(settings.SUPPORT_ATTACHMENT_MAX_BYTES),
        },
    )


def check_file(name: str, content: bytes) -> CheckedFile:
    """The file as it will be stored, or a ValidationError that says why not."""
    name = PurePath(name.replace("\\", "/")).name[:200] or "file"
    if len(content) > settings.SUPPORT_ATTACHMENT_MAX_BYTES:
        raise _too_big(name, len(content))
    if not content:
        raise ValidationError(_("“%(name)s” is empty."), code="file_empty", params={"name": name})
    kind = filetype.guess(content)
    content_type = kind.mime if kind else _text_type(name, content)
    if content_type not in ALLOWED:
        raise _refuse(name)
    if content_type in RE_ENCODED:
        try:
            content = _without_metadata(content, content_type)
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise _refuse(name) from None
    stem = PurePath(name).stem or "file"
    suffix = PurePath(name).suffix.lower()
    if content_type != "text/plain" or suffix not in TEXT_SUFFIXES - {""}:
        suffix = ALLOWED[content_type]
    return CheckedFile(name=f"{stem}{suffix}", content_type=content_type, content=content)


def check_upload(upload) -> CheckedFile:
    """An uploaded file (Django ``UploadedFile``) checked; one over the limit is refused before it is read."""
    if upload.size > settings.SUPPORT_ATTACHMENT_MAX_BYTES:
        raise _too_big(upload.name, upload.size)
    return check_file(upload.name, upload.read())


def sort_files(files, *, already: int = 0) -> tuple[list[CheckedFile], list[str]]:
    """Uploaded files (Django ``UploadedFile``s) checked one by one: those that pass, and why each other one
    is refused. With the ``already`` attached, a request carries at most five: those beyond are left out."""
    checked, problems = [], []
    for upload in files:
        try:
            checked.append(check_upload(upload))
        except ValidationError as error:
            problems += error.messages
    room = max(settings.SUPPORT_ATTACHMENTS_MAX - already, 0)
    if len(checked) > room:
        problems.append(
            _("A request can carry at most %(limit)s files.") % {"limit": settings.SUPPORT_ATTACHMENTS_MAX}
        )
    return checked[:room], problems


def check_files(files, *, already: int = 0) -> list[CheckedFile]:
    """``sort_files``, all or nothing: the checked files, or a ValidationError with every problem."""
    checked, problems = sort_files(files, already=already)
    if problems:
        raise ValidationError(problems)
    return checked
