"""Files a requester already sent with a form that had to be shown again (a validation error loses nothing
uploaded): kept in the private storage under ``pending/`` and carried by a signed list in the form."""

import secrets

from django.core import signing
from django.core.files.base import ContentFile

from .attachments import CheckedFile
from .storage import private_files

SALT = "escalation.pending-uploads"
MAX_AGE = 24 * 3600


def keep(files: list[CheckedFile]) -> list[dict]:
    storage = private_files()
    kept = []
    for checked in files:
        path = storage.save(
            f"pending/{secrets.token_urlsafe(12)}/{checked.name}", ContentFile(checked.content)
        )
        kept.append({"path": path, "name": checked.name, "type": checked.content_type})
    return kept


def sign(kept: list[dict]) -> str:
    return signing.dumps(kept, salt=SALT, compress=True) if kept else ""


def unsign(value: str) -> list[dict]:
    """The kept files of a form, [] for a missing, forged or day-old list or files gone since."""
    try:
        kept = signing.loads(value, salt=SALT, max_age=MAX_AGE) if value else []
    except signing.BadSignature:
        return []
    storage = private_files()
    return [entry for entry in kept if entry["path"].startswith("pending/") and storage.exists(entry["path"])]


def read(kept: list[dict]) -> list[CheckedFile]:
    storage = private_files()
    files = []
    for entry in kept:
        with storage.open(entry["path"], "rb") as stored:
            files.append(CheckedFile(name=entry["name"], content_type=entry["type"], content=stored.read()))
    return files


def discard(kept: list[dict]) -> None:
    storage = private_files()
    for entry in kept:
        storage.delete(entry["path"])
