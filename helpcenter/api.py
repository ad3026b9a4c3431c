"""Help-centre API (public): the live articles of a language, and the articles that answer a question."""

from ninja import Field, Query, Router, Schema

from hub.api import Language, errors

from . import selectors, suggest

router = Router(tags=["help"])


class ArticleOut(Schema):
    key: str
    title: str
    url: str


class SuggestionOut(ArticleOut):
    score: float


class SuggestIn(Schema):
    q: str = Field(..., min_length=1, max_length=500, description="the reader's question, in their words")
    lang: Language = "fr"
    limit: int = Field(3, ge=1, le=10)


@router.get("/articles/", response={200: list[ArticleOut], **errors(400)})
def articles(request, lang: Language = "fr"):
    """Every live article of the language, in the help centre's order."""
    return [
        {"key": page.key, "title": page.title, "url": request.build_absolute_uri(page.get_url(request))}
        for page in selectors.live_articles(lang)
    ]


@router.get("/suggest/", response={200: list[SuggestionOut], **errors(400)})
def suggestions(request, params: Query[SuggestIn]):
    """The articles that best answer ``q``, best first (BM25 over question, answer and search words)."""
    return [
        {
            "key": hit.article.key,
            "title": hit.article.title,
            "url": request.build_absolute_uri(hit.article.url),
            "score": hit.score,
        }
        for hit in suggest.suggest(params.q, params.lang, limit=params.limit)
    ]
