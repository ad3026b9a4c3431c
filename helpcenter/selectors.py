"""Reads of the help centre: the page tree, full-text search, contact data, editors' reports."""

import operator
import re
from dataclasses import dataclass
from datetime import time
from functools import reduce

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Locale

from . import suggest
from .models import (
    ContactPage,
    HelpArticlePage,
    HelpCategoryPage,
    HelpHomePage,
    SupportSettings,
    UnansweredSearch,
)

# The help centre's text analysis, for apps that must read words as its search does (the support desk's
# urgency rules): fold (lower case, accents, umlauts written out), stop words, one word's index term
# (Snowball stem, synonyms merged), and the edit distance its fuzzy matching of typos uses.
fold = suggest.fold
is_stopword = suggest.is_stopword
index_term = suggest.term
edit_distance = suggest.edit_distance
STEMMED_LANGUAGES = suggest.LANGUAGES

POSTGRES_CONFIGS = {"fr": "french", "de": "german", "en": "english"}
_MARK_START, _MARK_END = "\x02", "\x03"  # PostgreSQL marks matches with these; escaped, then made <mark>


@dataclass(frozen=True)
class SearchHit:
    page: HelpArticlePage
    title: SafeString
    excerpt: SafeString


def home_for(language: str) -> HelpHomePage | None:
    return HelpHomePage.objects.live().filter(locale__language_code=language).first()


def categories_with_articles(home: HelpHomePage) -> list[tuple[HelpCategoryPage, list[HelpArticlePage]]]:
    """The home page's categories in order, each with its live articles (two queries)."""
    categories = list(HelpCategoryPage.objects.child_of(home).live().public().order_by("path"))
    articles = HelpArticlePage.objects.descendant_of(home).live().public().order_by("path")
    by_parent: dict[str, list[HelpArticlePage]] = {}
    for article in articles:
        by_parent.setdefault(article.path[: -HelpArticlePage.steplen], []).append(article)
    return [(category, by_parent.get(category.path, [])) for category in categories]


def contact_page_url(language: str) -> str:
    """The help centre's contact page in ``language`` (its path), "" when there is none."""
    page = ContactPage.objects.live().public().filter(locale__language_code=language).first()
    return page.get_url() if page else ""


def live_articles(language: str):
    return HelpArticlePage.objects.live().public().filter(locale__language_code=language).order_by("path")


def translations_of(page) -> dict[str, object]:
    """Live translations of ``page`` by language code (the page itself included)."""
    pages = page.get_translations(inclusive=True).live().public().select_related("locale")
    return {translation.locale.language_code: translation for translation in pages}


def language_links(page, request) -> list[dict]:
    """The language switcher of a help page: its translation, else that language's help home."""
    translations = translations_of(page)
    links = []
    for code, name in settings.WAGTAIL_CONTENT_LANGUAGES:
        target = translations.get(code) or home_for(code)
        if target is None:
            continue
        links.append(
            {
                "code": code,
                "name": name,
                "url": target.get_url(request),
                "full_url": request.build_absolute_uri(target.get_url(request)),
                "page": translations.get(code),
                "current": code == page.locale.language_code,
            }
        )
    return links


def _marked(text: str) -> SafeString:
    escaped = escape(text).replace(_MARK_START, "<mark>").replace(_MARK_END, "</mark>")
    return mark_safe(escaped)  # noqa: S308 - escaped first; only our own <mark> tags are added


def _pattern(words: list[str]):
    """Words that start like a query word (the SQLite path, without a stemmer in the database)."""
    stems = [re.escape(word[: max(4, len(word) - 2)]) for word in words if len(word) >= 3]
    return re.compile(r"\b(" + "|".join(stems) + r")\w*", re.IGNORECASE) if stems else None


def _highlight(text: str, words: list[str]) -> SafeString:
    pattern = _pattern(words)
    if pattern is None:
        return escape(text)
    return _marked(pattern.sub(lambda match: _MARK_START + match.group(0) + _MARK_END, text))


def search_articles(query: str, language: str, limit: int = 50) -> tuple[list[SearchHit], bool]:
    """Articles of ``language`` for ``query``, best first, with the matches highlighted; and whether the
    full-text search found the words at all (when not, the query goes to the editors' content-gap report).

    Full text finds the articles that contain the words: on PostgreSQL with the language's own configuration
    (stemming, stop words), elsewhere with Wagtail's search backend. The suggestion engine's best answers,
    which tolerate typos and know the domain's synonyms, come first.
    """
    words = [word for word in re.findall(r"\w+", query) if not suggest.is_stopword(word, language)]
    if not words:
        return [], False
    if connection.vendor == "postgresql":
        hits = _search_postgres(words, language, limit)
    else:
        locale = Locale.objects.filter(language_code=language).first()
        articles = HelpArticlePage.objects.live().public().filter(locale=locale)
        pages = articles.search(" ".join(words), operator="or")[:limit]
        hits = [_hit(page, words) for page in pages]
    best = [suggestion.article.key for suggestion in suggest.suggest(query, language, limit=3)]
    by_key = {hit.page.key: hit for hit in hits}
    missing = [key for key in best if key not in by_key]
    for page in live_articles(language).filter(key__in=missing):
        by_key[page.key] = _hit(page, words)
    first = [by_key[key] for key in best if key in by_key]
    return first + [hit for hit in hits if hit.page.key not in best], bool(hits)


def _hit(page, words: list[str]) -> SearchHit:
    return SearchHit(page, _highlight(page.title, words), _excerpt(page, words))


def _excerpt(page, words: list[str], width: int = 220) -> SafeString:
    """The summary with its matches marked, or else the passage of the answer around the first match."""
    pattern = _pattern(words)
    if pattern is None or pattern.search(page.summary):
        return _highlight(page.summary, words)
    answer = " ".join(strip_tags(page.answer).split())
    match = pattern.search(answer)
    if match is None:
        return _highlight(page.summary, words)
    start = answer.rfind(" ", 0, max(0, match.start() - width // 3)) + 1
    end = answer.find(" ", start + width)
    passage = answer[start : end if end > 0 else None]
    return _highlight(("… " if start else "") + passage + (" …" if end > 0 else ""), words)


def _search_postgres(words: list[str], language: str, limit: int) -> list[SearchHit]:
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector

    config = POSTGRES_CONFIGS[language]
    vector = (
        SearchVector("title", weight="A", config=config)
        + SearchVector("tags", weight="B", config=config)
        + SearchVector("summary", "answer", weight="C", config=config)
    )
    query = reduce(operator.or_, [SearchQuery(word, config=config) for word in words])
    marks = {"start_sel": _MARK_START, "stop_sel": _MARK_END, "config": config}
    pages = (
        live_articles(language)
        .annotate(document=vector, rank=SearchRank(vector, query))
        .filter(document=query)
        .annotate(
            title_marked=SearchHeadline("title", query, highlight_all=True, **marks),
            summary_marked=SearchHeadline("summary", query, highlight_all=True, **marks),
            answer_marked=SearchHeadline("answer", query, max_words=35, min_words=15, **marks),
        )
        .order_by("-rank", "path")[:limit]
    )
    return [
        SearchHit(
            page,
            _marked(page.title_marked),
            _marked(
                page.summary_marked if _MARK_START in page.summary_marked else strip_tags(page.answer_marked)
            ),
        )
        for page in pages
    ]


def feedback_counts():
    """Per article: helpful and not helpful votes, most voted first (the editors' report)."""
    return (
        HelpArticlePage.objects.annotate(
            helpful=Count("feedback", filter=Q(feedback__helpful=True)),
            not_helpful=Count("feedback", filter=Q(feedback__helpful=False)),
        )
        .filter(Q(helpful__gt=0) | Q(not_helpful__gt=0))
        .select_related("locale")
        .order_by("-not_helpful", "-helpful", "title")
    )


def unanswered_searches():
    return UnansweredSearch.objects.order_by("-count", "-last_seen")


# --- Contact data (C1, C3) -------------------------------------------------------------------------


@dataclass(frozen=True)
class SupportLine:
    """One support phone line with the hours it keeps: what the support desk's calendar is built from."""

    country: str  # as the operators wrote it: BE, CH, FR, UK …
    number: str
    tel: str
    email: str
    time_zone: str
    opens: time
    closes: time
    weekend_emergency_phone: bool


def _as_time(value) -> time:
    return value if isinstance(value, time) else time.fromisoformat(value)  # a new row keeps its "09:00"


def support_lines() -> list[SupportLine]:
    """Every phone line of the support contact data, in the operators' order, each with its time zone."""
    contact = SupportSettings.load()
    return [
        SupportLine(
            country=line.country,
            number=line.number,
            tel=line.tel,
            email=contact.support_email,
            time_zone=line.time_zone or contact.time_zone,
            opens=_as_time(contact.weekday_opens),
            closes=_as_time(contact.weekday_closes),
            weekend_emergency_phone=contact.weekend_emergency_phone,
        )
        for line in contact.phone_lines.all()
    ]


def suggested_articles(question: str, language: str, limit: int = 3) -> list[suggest.Article]:
    """The articles that answer ``question`` best (the suggestion engine, with its score floor)."""
    return [hit.article for hit in suggest.suggest(question, language, limit=limit)]


def answer_candidates(
    question: str, language: str, limit: int = 3
) -> list[tuple[suggest.Article, float, str]]:
    """The suggestion engine's best articles for ``question`` with their score (0 to 1, comparable across
    questions) and their short answer: what the chatbot answers from, or offers to choose from."""
    hits = suggest.suggest(question, language, limit=limit)
    keys = [hit.article.key for hit in hits]
    summaries = dict(live_articles(language).filter(key__in=keys).values_list("key", "summary"))
    return [(hit.article, hit.score, summaries.get(hit.article.key, "")) for hit in hits]
