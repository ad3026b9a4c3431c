"""The lean path of the hot machine endpoints, and two-factor sign-in enforced on every page (see
``hub.two_factor``)."""

import functools

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import resolve, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect

from . import two_factor
from .permissions import is_operator


class LeanPathMiddleware:
    """``settings.LEAN_PATHS`` go straight to their view from here, past the middleware below, which serves
    pages: sessions, CSRF cookies, the signed-in user, messages, htmx, the second factor. Those endpoints
    authenticate their own tokens and use none of it. What they still get is what every response gets:
    the security headers of the middleware above, the host checked against ``ALLOWED_HOSTS``, the language
    of ``Accept-Language`` (``Content-Language``, ``Vary``) and a ``Content-Length``, as the locale and common
    middleware would give them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info not in settings.LEAN_PATHS:
            return self.get_response(request)
        request.get_host()  # DisallowedHost (400) unless ALLOWED_HOSTS has it
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()
        request.resolver_match = match = _resolve(request.path_info)
        response = match.func(request, *match.args, **match.kwargs)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        if not response.streaming:
            response.headers.setdefault("Content-Length", str(len(response.content)))
        return response


@functools.cache
def _resolve(path):
    return resolve(path)


# What an operator who must enrol may still open (besides the enrolment page itself).
OPEN_TO_ENROL = {"hub:logout", "set_language", "hub:two_factor"}


class SecondFactorMiddleware:
    """A signed-in session reaches nothing without the second factor its user needs.

    Runs after django-otp's ``OTPMiddleware``. A user who has an app but whose session was not opened with a
    code (opened before enrolment, or any other way in) is signed out and sent to sign in; an operator
    without an app while ``REQUIRE_2FA_FOR_OPERATORS`` is on is sent to enrolment. The API is left alone:
    it authenticates its own tokens, which are separate credentials.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified() or request.path.startswith("/api/"):
            return None
        if two_factor.has_device(user):
            logout(request)
            return self._go(request, redirect_to_login(request.get_full_path())["Location"])
        if (
            settings.REQUIRE_2FA_FOR_OPERATORS
            and is_operator(user)
            and request.resolver_match.view_name not in OPEN_TO_ENROL
        ):
            return self._go(request, reverse("hub:two_factor"))
        return None

    @staticmethod
    def _go(request, url):
        """A redirect; for an htmx fragment, a whole-page one, or nothing when that page is already open
        (the enrolment page's own fragments)."""
        if not request.htmx:
            return redirect(url)
        if (request.htmx.current_url_abs_path or "").split("?")[0] == url.split("?")[0]:
            return HttpResponse(status=204)
        return HttpResponseClientRedirect(url)
