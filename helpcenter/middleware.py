"""The Wagtail admin: refused outright to signed-in users who may not edit, in the editor's own language."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation


def wagtail_admin(get_response):
    admin_prefix = None

    def middleware(request):
        nonlocal admin_prefix
        admin_prefix = admin_prefix or reverse("wagtailadmin_home")
        if request.path.startswith(admin_prefix) and request.user.is_authenticated:
            if request.user.language in dict(settings.LANGUAGES):
                translation.activate(request.user.language)
                request.LANGUAGE_CODE = request.user.language
            # Wagtail sends a signed-in user without access to the login page, which sends them back: a loop.
            if not request.user.has_perm("wagtailadmin.access_admin"):
                raise PermissionDenied
        return get_response(request)

    return middleware
