"""Model fields kept once per language (``title_fr``, ``title_de``, ``title_en``)."""

from django.conf import settings
from django.utils import translation


def translated(obj, field: str) -> str:
    """The field in the active language, else in French, German or English, whichever is filled."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    for code in (language[:2], "fr", "de", "en"):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return value
    return ""
