"""Writes of the help centre: readers' feedback, searches without results, editors' access."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page

from hub import ratelimit
from hub.audit import log_action
from hub.permissions import Role, has_role

from .audit import Action
from .models import ArticleFeedback, HelpArticlePage, UnansweredSearch

EDITOR_GROUP = "Help centre editors"
EDITOR_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("helpcenter", "change_supportsettings"),
    ("helpcenter", "view_articlefeedback"),
    ("helpcenter", "view_unansweredsearch"),
    ("wagtail_localize", "submit_translation"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]


HELP_SEARCH_LOG_PER_HOUR = 30
QUERY_MAX_LENGTH = 200  # characters of a search kept, in the page and in the log


class RateLimited(Exception):
    pass


def record_feedback(*, article: HelpArticlePage, helpful: bool, ip: str) -> ArticleFeedback:
    """Count one anonymous vote; raises :class:`RateLimited` past the per-IP hourly limit."""
    if not ratelimit.hit("help-feedback", ip or "-", limit=settings.HELP_FEEDBACK_RATE_LIMIT, window=3600):
        raise RateLimited
    return ArticleFeedback.objects.create(article=article, helpful=helpful)


def record_unanswered_search(*, query: str, language: str, ip: str) -> None:
    """Count a search that found nothing (normalised: trimmed, lower case, single spaces).

    An address logs at most ``HELP_SEARCH_LOG_PER_HOUR`` searches an hour: a script cannot flood the report.
    """
    query = " ".join(query.lower().split())[:QUERY_MAX_LENGTH]
    if not query or not ratelimit.hit(
        "help-search-log", ip or "-", limit=HELP_SEARCH_LOG_PER_HOUR, window=3600
    ):
        return
    now = timezone.now()
    with transaction.atomic():
        updated = UnansweredSearch.objects.filter(language=language, query=query).update(
            count=F("count") + 1, last_seen=now
        )
        if not updated:
            UnansweredSearch.objects.get_or_create(
                language=language, query=query, defaults={"first_seen": now, "last_seen": now}
            )


def editor_group() -> Group:
    """The group that lets operators edit the help centre in the Wagtail admin (created on first use)."""
    group, created = Group.objects.get_or_create(name=EDITOR_GROUP)
    if created:
        query = [
            Permission.objects.filter(content_type__app_label=app, codename=code)
            for app, code in EDITOR_PERMISSIONS
        ]
        for permissions in query:
            group.permissions.add(*permissions)
        root = Page.get_first_root_node()
        for codename in EDITOR_PAGE_PERMISSIONS:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
    return group


@transaction.atomic
def sync_editor_access(*, user) -> None:
    """Operators edit the help centre; nobody else gets into the Wagtail admin through this group."""
    group = editor_group()
    is_member = user.groups.filter(pk=group.pk).exists()
    should_be = has_role(user, Role.OPERATOR)
    if should_be and not is_member:
        user.groups.add(group)
        log_action("system", Action.EDITOR_ADDED, user)
    elif is_member and not should_be:
        user.groups.remove(group)
        log_action("system", Action.EDITOR_REMOVED, user)
