"""Languages: the one list of language codes, the active one, and model fields kept once per language."""

from django.conf import settings
from django.utils import translation

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


def current_language() -> str:
    """The active language's code among ``LANGUAGE_CODES`` (the default language otherwise)."""
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return language if language in LANGUAGE_CODES else settings.LANGUAGE_CODE


def translated(obj, field: str) -> str:
    """The field (``title_fr``, ``title_de``, ``title_en``) in the active language, else in French, German
    or English, whichever is filled."""
    for code in (current_language(), *LANGUAGE_CODES):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return value
    return ""
