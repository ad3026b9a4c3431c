"""The JSON API under /api/ (django-ninja, OpenAPI at /api/docs). Apps add their routers by dotted path."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.security import HttpBearer

from . import tokens


class TooManyRequests(Exception):
    """Raise from any endpoint or auth class: the client gets 429."""


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = tokens.authenticate(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(title="Guichet API", version="1", urls_namespace="api", docs_url="/docs")
api.add_router("/v1/", "ticketing.api.router")
api.add_router("/v1/status/", "statuspage.operator_api.router")
api.add_router("/v1/help/", "helpcenter.api.router")


@api.exception_handler(ValidationError)
def malformed(request, exc):
    """A body or query that does not match the schema is a client error: 400, with the details."""
    return api.create_response(request, {"detail": exc.errors}, status=400)


@api.exception_handler(DjangoValidationError)
def refused(request, exc):
    """A service refused the request as invalid: 400 with its reasons."""
    return api.create_response(request, {"detail": exc.messages}, status=400)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": "not allowed"}, status=403)


@api.exception_handler(TooManyRequests)
def too_many(request, exc):
    return api.create_response(request, {"detail": str(exc) or "too many requests"}, status=429)
