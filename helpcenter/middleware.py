"""The Wagtail admin speaks the editor's language: the one saved on their Guichet account."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation


def admin_language(get_response):
    admin_prefix = None

    def middleware(request):
        nonlocal admin_prefix
        admin_prefix = admin_prefix or reverse("wagtailadmin_home")
        if request.path.startswith(admin_prefix):
            language = getattr(request.user, "language", None)
            if language in dict(settings.LANGUAGES):
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return get_response(request)

    return middleware
