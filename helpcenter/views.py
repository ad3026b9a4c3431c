"""The help centre's views: its pages (ready-made for anonymous readers), search, feedback, sitemap.

While the database is down the pages are served from their ready-made copies (see ``snapshot``); search
and feedback answer 503 with a page that says so in the reader's language.
"""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.template.response import SimpleTemplateResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Page
from wagtail.views import serve

from hub import ratelimit
from hub.responses import ready_made

from . import selectors, services, snapshot
from .models import HELP_PAGE_TYPES, HelpArticlePage

logger = logging.getLogger(__name__)

PAGE_SIZE = 10
RETRY_AFTER_SECONDS = 60


def page(request, path):
    """A help page (``path`` below the help centre's root). Anonymous readers get the ready-made copy; a
    signed-in reader (an editor checking a change) or one with a message waiting gets Wagtail's live page;
    while the database is down, everybody gets the copy."""
    if request.method in ("GET", "HEAD") and not _wants_live_page(request):
        try:
            body = snapshot.page(request.path, path)
        except DatabaseError:
            return unavailable(request, _("This page is unavailable for a moment."))
        if body is not None:
            return _ready_made_page(request, body)
    try:
        response = serve(request, path)
        if isinstance(response, SimpleTemplateResponse):
            response.render()  # now, where a database error can still be caught
        return response
    except DatabaseError:
        body = snapshot.last_copy(request.path)
        if body is None:
            return unavailable(request, _("This page is unavailable for a moment."))
        return _ready_made_page(request, body)


def _wants_live_page(request) -> bool:
    """Whether the reader may see what the copy for everybody lacks: being signed in, or a message."""
    if CookieStorage.cookie_name in request.COOKIES:
        return True
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    try:
        return request.user.is_authenticated
    except DatabaseError:  # the session cannot be read: the copy, as for everybody
        return False


def _ready_made_page(request, body: bytes) -> HttpResponse:
    response = ready_made(request, body, "text/html; charset=utf-8")
    patch_vary_headers(response, ["Cookie"])  # signed-in readers get the live page
    return response


def unavailable(request, message: str) -> HttpResponse:
    """503 with a page in the reader's language that needs neither the database nor the session."""
    response = HttpResponse(render_to_string("helpcenter/unavailable.html", {"message": message}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def search(request):
    """Full-text matches, with the suggestion engine's best answers (typos, synonyms) ranked first."""
    try:
        return _search(request)
    except DatabaseError:
        logger.warning("help search: database unavailable", exc_info=True)
        return unavailable(request, _("Search is unavailable for a moment."))


def _search(request):
    language = get_language()
    query = " ".join(request.GET.get("q", "").split())[: services.QUERY_MAX_LENGTH]
    hits = []
    if query:
        hits, found_words = selectors.search_articles(query, language)
        if not found_words:
            services.record_unanswered_search(query=query, language=language, ip=ratelimit.client_ip(request))
    home = selectors.home_for(language)
    context = {
        "query": query,
        "querystring": urlencode({"q": query}),
        "page": Paginator(hits, PAGE_SIZE).get_page(request.GET.get("page")),
        "home": home,
        "categories": selectors.categories_with_articles(home) if home and not hits else [],
    }
    return render(request, "helpcenter/search.html", context)


@csrf_exempt  # the form sits on pages that are the same for every reader: see _posted_from_our_pages
@require_POST
def feedback(request, page_id):
    if not _posted_from_our_pages(request):
        return HttpResponseForbidden()
    try:
        return _feedback(request, page_id)
    except DatabaseError:
        logger.warning("help feedback: database unavailable", exc_info=True)
        if request.htmx:  # the help pages let htmx show a 503's answer (helpcenter/base.html)
            html = render_to_string("helpcenter/feedback.html", {"unavailable": True})
            return HttpResponse(html, status=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
        return unavailable(request, _("Feedback is unavailable for a moment."))


def _posted_from_our_pages(request) -> bool:
    """The feedback form carries no CSRF token, so that its page can be one copy for everybody. A vote
    needs none: it is anonymous and grants nothing to whoever's browser sends it, and the per-address
    limit still holds. What is left to refuse, a browser made to vote by another site (to spread votes
    over many addresses), the browser itself reveals: it sends ``Sec-Fetch-Site`` and ``Origin`` with
    every cross-site post. A client that sends neither is no browser and could post by itself anyway."""
    if request.headers.get("Sec-Fetch-Site", "same-origin") != "same-origin":
        return False
    origin = request.headers.get("Origin")
    return origin is None or origin in (
        f"{request.scheme}://{request.get_host()}",
        *settings.CSRF_TRUSTED_ORIGINS,
    )


def _feedback(request, page_id):
    article = get_object_or_404(HelpArticlePage.objects.live(), pk=page_id)
    answer = request.POST.get("helpful")
    if answer not in ("yes", "no"):
        return render(request, "helpcenter/feedback.html", {"page": article, "error": True}, status=400)
    voted = request.session.setdefault("help_votes", [])
    counted = True
    if article.pk not in voted:
        try:
            services.record_feedback(
                article=article, helpful=answer == "yes", ip=ratelimit.client_ip(request)
            )
        except services.RateLimited:
            counted = False
        else:
            request.session["help_votes"] = [*voted, article.pk][-200:]
    if request.htmx:  # htmx swaps only 2xx answers: the refusal is said in the page, with a 200
        return render(request, "helpcenter/feedback.html", {"page": article, "thanks": counted})
    if counted:
        messages.success(request, _("Thank you for your feedback."))
    else:
        messages.error(request, _("Too many votes from your network. Please try again later."))
    return redirect(article.url)


class HelpSitemap(Sitemap):
    """Every live help page in every language (Wagtail's own sitemap covers only the site root's tree)."""

    def items(self):
        return Page.objects.live().public().type(*HELP_PAGE_TYPES).order_by("path").specific()


def sitemap(request):
    return wagtail_sitemap(request, sitemaps={"help": HelpSitemap})
