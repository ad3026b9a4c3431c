"""The help centre's pages as an anonymous reader sees them, ready-made like the status page's snapshot:
gzipped bytes in the cache, kept by each process, and on disk for when the database is down.

A page is rendered once for everybody: no user, no session, no CSRF token, no messages (the feedback
form posts without a token, see ``views.feedback``). Copies belong to a *generation* that moves on with
every change a reader can see (a help page published, unpublished, moved or deleted, the support contact
edited, a content load): once a change is committed no reader gets a copy of the old content from the
cache. ``refresh()`` (a Celery task after each change) renders every page of the new generation into the
cache and writes them all to ``HELP_SNAPSHOT_FILE``; a page asked for before that is rendered then and
kept.

Reading a page: the process's copy, else the cache's, else rendered from the database; when the database
cannot be read, the file's.
"""

import gzip
import logging
import os
import tempfile
import time
import zipfile
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import DatabaseError
from django.dispatch import receiver
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation
from wagtail.contrib.settings.context_processors import settings as wagtail_settings
from wagtail.models import Page

from .models import HELP_PAGE_TYPES

logger = logging.getLogger(__name__)

GENERATION_KEY = "helpcenter:pages:generation"
PAGE_KEY = "helpcenter:pages:v1:{generation}:{path}"  # bump v1 when the stored format changes
PAGE_TIMEOUT = 7 * 24 * 3600  # copies of a past generation leave the cache by themselves
GENERATION_CHECK_SECONDS = 1.0  # a process looks at the generation at most this often


class _ReaderRequest(HttpRequest):
    """A GET of ``path`` by an anonymous reader of ``SITE_URL``: the request a page is rendered for."""

    def __init__(self, path: str):
        super().__init__()
        self.site = urlsplit(settings.SITE_URL)
        self.method = "GET"
        self.path = self.path_info = path
        self.META = {
            "SERVER_NAME": self.site.hostname,
            "SERVER_PORT": str(self.site.port or (443 if self.site.scheme == "https" else 80)),
        }
        self.user = AnonymousUser()

    def get_host(self) -> str:
        return self.site.netloc

    def _get_scheme(self) -> str:
        return self.site.scheme


def _path_of(page: Page) -> str | None:
    """The path ``page`` is served at (language prefix included), None if it is not routable."""
    parts = page.get_url_parts()
    return unquote(parts[2]) if parts and parts[2] else None


def render(page: Page, path: str, request: _ReaderRequest | None = None) -> bytes:
    """``page`` (served at ``path``) for everybody, gzip-compressed: once per change, not once per reader.
    ``request`` may be one reused for many pages (Wagtail keeps what it looked up about the site on it).

    Rendered without the request's context processors, whose values are a visitor's: the template gets
    the request, an anonymous user and the site settings, and no CSRF token.
    """
    request = request or _ReaderRequest(path)
    request.path = request.path_info = path
    with translation.override(page.locale.language_code):
        request.LANGUAGE_CODE = page.locale.language_code
        context = {**page.get_context(request), **wagtail_settings(request), "user": request.user}
        html = render_to_string(page.get_template(request), context)
    return gzip.compress(html.encode(), mtime=0)


def _routed(path: str, route: str) -> Page | None:
    """The published public help page at ``path`` (``route`` below the help centre's root), if any."""
    with translation.override(translation.get_language_from_path(path)):
        request = _ReaderRequest(path)
        found = Page.route_for_request(request, route)
        if found is None:
            return None
        page = found[0]
        if isinstance(page, HELP_PAGE_TYPES) and not page.get_view_restrictions().exists():
            return page
    return None


# --- The generation and the copies ---------------------------------------------------------------------

_state = {"generation": None, "checked_at": float("-inf")}
_kept: dict[tuple[int, str], bytes] = {}  # this process's copies, of the current generation only


@receiver(setting_changed)
def forget(**kwargs) -> None:
    """Drop this process's copies and generation (tests change the cache under it)."""
    _kept.clear()
    _state.update(generation=None, checked_at=float("-inf"))


def _generation(*, fresh: bool = False) -> int | None:
    """The current generation, looked at once a second (now if ``fresh``); None when the cache is down."""
    now = time.monotonic()
    if not fresh and now - _state["checked_at"] < GENERATION_CHECK_SECONDS:
        return _state["generation"]
    try:
        generation = cache.get(GENERATION_KEY)
        if generation is None:  # a cache that lost it starts a generation of its own
            cache.add(GENERATION_KEY, time.time_ns(), None)
            generation = cache.get(GENERATION_KEY)
    except Exception:  # a cache outage must not take the help centre down
        logger.exception("help pages: cache unavailable")
        generation = None
    if generation != _state["generation"]:
        _kept.clear()
    _state.update(generation=generation, checked_at=now)
    return generation


def new_generation() -> None:
    """After a change is committed: the copies kept so far are of the old content."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.add(GENERATION_KEY, time.time_ns(), None)
    except Exception:  # the change is committed all the same; a cache that comes back empty starts anew
        logger.exception("help pages: cache unavailable, the copies could not be renewed")
    _state["checked_at"] = float("-inf")


def _copy(generation: int | None, path: str) -> bytes | None:
    if generation is None:
        return None
    body = _kept.get((generation, path))
    if body is None:
        try:
            body = cache.get(PAGE_KEY.format(generation=generation, path=path))
        except Exception:
            logger.exception("help pages: cache unavailable")
        if body is not None:
            _kept[generation, path] = body
    return body


def _keep(generation: int | None, path: str, body: bytes) -> None:
    if generation is None:
        return
    _kept[generation, path] = body
    try:
        cache.set(PAGE_KEY.format(generation=generation, path=path), body, PAGE_TIMEOUT)
    except Exception:
        logger.exception("help pages: cache unavailable")


# --- Reading -------------------------------------------------------------------------------------------


def page(path: str, route: str) -> bytes | None:
    """The ready-made page at ``path`` (``route`` below the help centre's root), gzip-compressed; None when
    it is no published public help page. When the database cannot be read: the file's copy, or else
    the ``DatabaseError``."""
    generation = _generation()
    body = _copy(generation, path)
    if body is not None:
        return body
    try:
        found = _routed(path, route)
        body = render(found, path) if found is not None else None
    except DatabaseError:
        body = _from_file(path)
        if body is None:
            raise
        return body
    if body is not None:
        _keep(generation, path, body)
    return body


def last_copy(path: str) -> bytes | None:
    """What to serve at ``path`` while the database is down: the kept copy, else the file's."""
    return _copy(_generation(), path) or _from_file(path)


def _from_file(path: str) -> bytes | None:
    try:
        with zipfile.ZipFile(settings.HELP_SNAPSHOT_FILE) as archive:
            return archive.read(path)
    except (OSError, KeyError, zipfile.BadZipFile):
        return None


# --- Refreshing ----------------------------------------------------------------------------------------


def refresh() -> int:
    """Render every published public help page into the cache and the file; returns how many."""
    generation = _generation(fresh=True)
    pages = Page.objects.live().public().type(*HELP_PAGE_TYPES).select_related("locale").order_by("path")
    request, rendered = _ReaderRequest("/"), {}
    for page in pages.specific():
        path = _path_of(page)
        if path is not None:
            rendered[path] = render(page, path, request)
    for path, body in rendered.items():
        _keep(generation, path, body)
    if generation == _generation(fresh=True):  # else a later change is writing its own file
        _write_file(rendered)
    return len(rendered)


def _write_file(rendered: dict[str, bytes]) -> None:
    path = settings.HELP_SNAPSHOT_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with (
            tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle,
            zipfile.ZipFile(handle, "w") as archive,
        ):
            for page_path, body in rendered.items():
                archive.writestr(page_path, body)
        os.replace(handle.name, path)
    except OSError:
        logger.exception("help pages: could not write the snapshot file")
