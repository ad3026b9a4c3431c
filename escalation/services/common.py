"""What every support-desk service shares: the timeline entry and the guards."""

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile

from hub.models import Role
from hub.permissions import has_role

from ..models import Attachment, SupportRequest, TimelineEntry

STAFF_ROLES = (Role.SUPPORT_AGENT, Role.ACCOUNT_MANAGER, Role.OPERATOR)


def is_support_staff(user) -> bool:
    return bool(user) and getattr(user, "is_authenticated", False) and has_role(user, *STAFF_ROLES)


def require_support_staff(user) -> None:
    if not is_support_staff(user):
        raise PermissionDenied("support staff only")


def add_entry(request: SupportRequest, kind: str, *, author=None, body: str = "", **data) -> TimelineEntry:
    label = author.get_username() if getattr(author, "is_authenticated", False) else (author or "")
    return TimelineEntry.objects.create(
        request=request,
        kind=kind,
        author=author if getattr(author, "is_authenticated", False) else None,
        author_label=str(label),
        body=body,
        data=data,
    )


def store_files(request: SupportRequest, entry: TimelineEntry, files) -> None:
    """Checked files (``attachments.CheckedFile``) saved in the private storage, on the timeline entry."""
    for checked in files:
        stored = Attachment(
            request=request,
            entry=entry,
            name=checked.name,
            content_type=checked.content_type,
            size=len(checked.content),
        )
        stored.file.save(checked.name, ContentFile(checked.content), save=False)
        stored.save()
