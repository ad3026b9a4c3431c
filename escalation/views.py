"""Support-desk pages: the agent's request page, the on-call acknowledgement link, attachments."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from hub.permissions import role_required

from . import selectors
from .models import Page
from .services import paging
from .services.common import STAFF_ROLES

INLINE_TYPES = {"image/png", "image/jpeg", "image/webp", "image/gif", "video/mp4", "video/webm"}


@role_required(*STAFF_ROLES)
def agent_request(request, reference):
    support_request = selectors.request_for_staff(reference)
    if support_request is None:
        raise Http404
    return render(
        request,
        "escalation/agent_request.html",
        {"support_request": support_request, "customer": selectors.customer_panel(support_request)},
    )


@require_http_methods(["GET", "POST"])
def acknowledge(request, token):
    """The link in a page: GET shows what is acknowledged, the button POSTs (a link preview never acks)."""
    page = Page.objects.select_related("request").filter(token=token).first()
    if page is None:
        raise Http404
    done = page.acknowledged_at is not None
    if request.method == "POST" and not done:
        paging.acknowledge(page_id=page.pk, via="link")
        done = True
    return render(request, "escalation/acknowledge.html", {"page": page, "done": done})


def attachment(request, pk):
    """A request's file, for its organisation and support staff only; never rendered as a page."""
    found = selectors.attachment_for(request.user, pk)
    if found is None:
        raise Http404
    response = FileResponse(
        found.file.open("rb"),
        content_type=found.content_type,
        as_attachment=found.content_type not in INLINE_TYPES,
        filename=found.name,
    )
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; media-src 'self'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
