"""The help centre's views around the Wagtail pages: search, feedback, sitemap."""

from django import forms
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

from . import selectors, services, suggest
from .models import ContactPage, HelpArticlePage, HelpCategoryPage, HelpHomePage

PAGE_SIZE = 10


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the help centre"), max_length=200, strip=True)


def search(request):
    language = get_language()
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    hits, closest = [], []
    if query:
        hits = selectors.search_articles(query, language)
        if not hits:
            services.record_unanswered_search(query=query, language=language, ip=ratelimit.client_ip(request))
            closest = suggest.suggest(query, language, limit=3)
    page = Paginator(hits, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "query": query,
        "page": page,
        "closest": closest,
        "home": selectors.home_for(language),
    }
    return render(request, "helpcenter/search.html", context)


@require_POST
def feedback(request, page_id):
    article = get_object_or_404(HelpArticlePage.objects.live(), pk=page_id)
    answer = request.POST.get("helpful")
    if answer not in ("yes", "no"):
        return render(request, "helpcenter/feedback.html", {"page": article, "error": True}, status=400)
    voted = request.session.setdefault("help_votes", [])
    status = 200
    if article.pk not in voted:
        try:
            services.record_feedback(
                article=article, helpful=answer == "yes", ip=ratelimit.client_ip(request)
            )
        except services.RateLimited:
            status = 429
        else:
            request.session["help_votes"] = [*voted, article.pk][-200:]
    if request.htmx:
        return render(
            request, "helpcenter/feedback.html", {"page": article, "thanks": status == 200}, status=status
        )
    if status == 200:
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
