"""C3: help articles opened from the request form. Each opening is recorded as a deflection; sending the
request from the same visit takes its openings back (they did not answer the question)."""

from django.db import transaction

from ..models import Deflection

SESSION_KEY = "support_deflections"


def article_opened(*, session, language: str, article_key: str) -> Deflection:
    deflection = Deflection.objects.create(language=language, article_key=article_key[:80])
    session[SESSION_KEY] = [*session.get(SESSION_KEY, [])[-19:], deflection.pk]
    return deflection


@transaction.atomic
def request_sent(*, session) -> int:
    """The visit ended in a request after all: its openings were no deflection."""
    deleted, _ = Deflection.objects.filter(pk__in=session.pop(SESSION_KEY, [])).delete()
    return deleted
