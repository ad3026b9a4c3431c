"""The JSON API under /api/ (django-ninja, OpenAPI at /api/docs). Apps add their routers by dotted path."""

from ninja import NinjaAPI
from ninja.security import HttpBearer

from . import tokens


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = tokens.authenticate(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(title="Guichet API", version="1", urls_namespace="api", docs_url="/docs")
api.add_router("/v1/", "ticketing.api.router")
