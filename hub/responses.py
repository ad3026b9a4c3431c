"""Responses the apps share."""

import gzip

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers


def ready_made(request, compressed: bytes, content_type: str) -> HttpResponse:
    """Bytes rendered and compressed at the last change, sent as they are to clients that accept gzip."""
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(compressed, content_type=content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(compressed), content_type=content_type)
    patch_vary_headers(response, ["Accept-Encoding"])
    return response
