"""The help centre's views around the Wagtail pages: search, feedback, sitemap."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Page

from hub import ratelimit

from . import selectors, services
from .models import ContactPage, HelpArticlePage, HelpCategoryPage, HelpHomePage

PAGE_SIZE = 10


def search(request):
    """Full-text matches, with the suggestion engine's best answers (typos, synonyms) ranked first."""
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


@require_POST
def feedback(request, page_id):
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
        page_types = (HelpHomePage, HelpCategoryPage, HelpArticlePage, ContactPage)
        return Page.objects.live().public().type(*page_types).order_by("path").specific()


def sitemap(request):
    return wagtail_sitemap(request, sitemaps={"help": HelpSitemap})
