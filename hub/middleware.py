"""Two-factor sign-in enforced on every page (see ``hub.two_factor``)."""

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from . import two_factor
from .permissions import is_operator

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
