"""Which of French, German and English a message is written in: lingua, restricted to the three, with the
page's language as the prior. Short messages ("ok", "merci", "hallo") are often words of two languages: the
page's language wins unless the detector is sure."""

from functools import cache

LANGUAGES = ("fr", "de", "en")
SHORT = 3  # words: up to this, the page's language is kept unless the detector is sure
SURE_SHORT, SURE_LONG = 0.8, 0.5


@cache
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.FRENCH, Language.GERMAN, Language.ENGLISH).build()


_CODES = {"FRENCH": "fr", "GERMAN": "de", "ENGLISH": "en"}


def detect(text: str, page_language: str | None = None) -> str:
    """fr, de or en for ``text``; ``page_language`` (when one of the three, else French) breaks doubts."""
    prior = page_language if page_language in LANGUAGES else LANGUAGES[0]
    words = text.split()
    if not words:
        return prior
    values = _detector().compute_language_confidence_values(text)
    if not values:
        return prior
    best = values[0]
    sure = SURE_SHORT if len(words) <= SHORT else SURE_LONG
    return _CODES[best.language.name] if best.value >= sure else prior
