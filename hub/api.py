"""The JSON API under /api/ (django-ninja, OpenAPI at /api/docs). Apps add their routers by dotted path.

Every operation declares the error answers it can give (``errors(…)``), all shaped ``{"detail": …}``, uses
``Literal`` types for enumerations and bounded paging (``Pages``), so that its OpenAPI document is a contract
that clients and schemathesis can hold it to (tests/api/test_fuzzing.py).
"""

from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from ninja import Field, NinjaAPI, Schema
from ninja.errors import ValidationError
from ninja.pagination import PageNumberPagination
from ninja.security import HttpBearer

from . import tokens
from .i18n import LANGUAGE_CODES

Language = Literal[LANGUAGE_CODES]
MAX_ID = 2**63 - 1  # the database's largest id: beyond it, a 400 rather than an overflow
Id = Annotated[int, Field(ge=1, le=MAX_ID, description="a database id")]
MAX_PAGE = 10_000


class ErrorOut(Schema):
    detail: str | list[Any] = Field(..., description="what went wrong: a message, or a list of reasons")


def errors(*codes: int) -> dict[int, type[ErrorOut]]:
    """The error answers an operation declares, for its ``response={…}``: 400 malformed or refused,
    401 no valid token, 403 not allowed, 404 unknown, 409 conflict, 429 too many requests."""
    return dict.fromkeys(codes, ErrorOut)


class Pages(PageNumberPagination):
    """Page-number paging whose page number is bounded: a page beyond ``MAX_PAGE`` is a 400."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=1000)


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
api.add_router("/v1/pos/", "ticketing.pos_api.router")
api.add_router("/v1/pos/orders/", "ticketing.kiosk_api.router")
api.add_router("/v1/status/", "statuspage.operator_api.router")
api.add_router("/v1/help/", "helpcenter.api.router")
api.add_router("/v1/support/", "escalation.api.router")


@api.exception_handler(ValidationError)
def malformed(request, exc):
    """A body or query that does not match the schema is a client error: 400, with the details."""
    return api.create_response(request, {"detail": exc.errors}, status=400)


@api.exception_handler(DjangoValidationError)
def refused(request, exc):
    """A service refused the request as invalid: 400 with its reasons."""
    return api.create_response(request, {"detail": exc.messages}, status=400)


@api.exception_handler(DataError)
def unstorable(request, exc):
    """A value the database cannot store (a NUL character, a number out of range): the request's fault."""
    return api.create_response(request, {"detail": "a value in the request cannot be stored"}, status=400)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": "not allowed"}, status=403)


@api.exception_handler(TooManyRequests)
def too_many(request, exc):
    return api.create_response(request, {"detail": str(exc) or "too many requests"}, status=429)
