"""Where support attachments live: outside the public media (``SUPPORT_FILES_ROOT``), with no URL of their
own; a permission-checked view streams them to the requester's organisation and to support staff."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_files() -> FileSystemStorage:
    return FileSystemStorage(location=settings.SUPPORT_FILES_ROOT, base_url=None)
