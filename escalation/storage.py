"""Where support attachments live: outside the public media (``SUPPORT_FILES_ROOT``), with no URL of their
own; a permission-checked view streams them to the requester's organisation and to support staff."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateFiles(FileSystemStorage):
    """Files under ``SUPPORT_FILES_ROOT`` (read when used, so tests and deployments can move it)."""

    @property
    def base_location(self):
        return str(settings.SUPPORT_FILES_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("support files have no public URL: link to the escalation:attachment view")


def private_files() -> FileSystemStorage:
    return PrivateFiles()
