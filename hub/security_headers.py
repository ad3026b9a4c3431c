"""Security headers on every response: django-csp's Content-Security-Policy (relaxed for Wagtail's editor
alone) and a Permissions-Policy that lets only views marked ``allow_camera`` use the camera."""

from functools import wraps

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.urls import reverse


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """settings.CONTENT_SECURITY_POLICY everywhere, its form-action with the payment provider's hosted page;
    under Wagtail's admin, the directives named in
    settings.CMS_CONTENT_SECURITY_POLICY replace the strict ones. A page preview (Wagtail runs the page's
    own view under a dummy request) keeps the strict policy but may be framed like the admin."""

    cms_prefix = None

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        self.cms_prefix = self.cms_prefix or reverse("wagtailadmin_home")
        if report_only:
            return parts
        payment_page = settings.PAYMENT_PAGE_ORIGINS.get(settings.PAYMENT_PROVIDER)
        if payment_page:  # the checkout's POST is redirected to the provider's hosted page
            parts.update = {**(parts.update or {}), "form-action": payment_page}
        relaxed = settings.CMS_CONTENT_SECURITY_POLICY
        if getattr(request, "is_dummy", False):
            parts.replace = {"frame-ancestors": relaxed["frame-ancestors"], **(parts.replace or {})}
        elif request.path.startswith(self.cms_prefix):
            parts.replace = {**relaxed, **(parts.replace or {})}
        return parts


def allow_camera(view):
    """Let the page this view returns open the device's camera (camera=(self)); no other page may."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.allow_camera = True
        return response

    return wrapped


def _permissions_policy(*, camera: bool) -> str:
    return ", ".join(
        f"{feature}=(self)" if camera and feature == "camera" else f"{feature}=()"
        for feature in settings.PERMISSIONS_POLICY_DENIED
    )


def permissions_policy(get_response):
    denied, camera_allowed = _permissions_policy(camera=False), _permissions_policy(camera=True)

    def middleware(request):
        response = get_response(request)
        if "Permissions-Policy" not in response:
            camera = getattr(response, "allow_camera", False)
            response["Permissions-Policy"] = camera_allowed if camera else denied
        return response

    return middleware
