"""At the door: the page a QR code opens for staff, the browser App-Scanner, and Scan-On-Air."""

import uuid
from datetime import timedelta

from csp.constants import NONCE
from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hub.permissions import role_required
from hub.security_headers import allow_camera

from .. import listings, selectors
from ..models import Event, Presence, Scan, Ticket
from ..permissions import DOOR_ROLES, require_manager
from ..services import scanning
from . import public

GATE_SESSION_KEY = "scan_gate"
REFRESH_SESSION_KEY = "scan_on_air_refresh"
REFRESH_CHOICES = (15, 30, 60, 120, 0)


def _door_organisation_for(request, ticket: Ticket | None) -> int | None:
    """The organisation this staff member scans for: the ticket's own if they work for it."""
    organisations = list(selectors.door_organisations(request.user).values_list("pk", flat=True))
    if not organisations:
        return None
    if ticket is not None and ticket.event.organisation_id in organisations:
        return ticket.event.organisation_id
    return organisations[0]


def ticket(request, secret):
    """What a ticket's QR code opens. Door staff get the scan page (a GET changes nothing: the page
    confirms by itself with a POST); everyone else gets the ticket."""
    found = Ticket.objects.select_related("event", "category").filter(secret=secret).first()
    if request.user.is_authenticated and _door_organisation_for(request, found):
        return render(
            request,
            "ticketing/door/scan_page.html",
            {"secret": secret, "nonce": uuid.uuid4().hex, "gate": request.session.get(GATE_SESSION_KEY, "")},
        )
    return public.ticket_page(request, secret)


@require_POST
@login_required
def ticket_scan(request, secret):
    """The scan page's confirmation (htmx posts it on load; without JavaScript, a button does)."""
    found = Ticket.objects.select_related("event").filter(secret=secret).first()
    organisation_id = _door_organisation_for(request, found)
    if organisation_id is None:
        raise PermissionDenied
    return _scan_and_render(request, code=secret, organisation_id=organisation_id)


def _scan_and_render(request, *, code, organisation_id, event_id=None, by_number=False):
    gate = request.POST.get("gate", "").strip()[:64]
    request.session[GATE_SESSION_KEY] = gate
    direction = "exit" if request.POST.get("direction") == "exit" else "entry"
    outcome = scanning.redeem(
        code=code,
        direction=direction,
        organisation_id=organisation_id,
        gate=gate,
        user=request.user,
        nonce=(request.POST.get("nonce") or "")[:64] or None,
        event_id=event_id,
        by_number=by_number,
    )
    context = {"outcome": outcome, "code": code, "gate": gate, "next_nonce": uuid.uuid4().hex}
    template = "ticketing/door/result.html" if request.htmx else "ticketing/door/scan_page.html"
    return render(request, template, context)


@require_POST
@login_required
def undo(request, scan_id):
    try:
        ticket = scanning.undo_admission(actor=request.user, scan_id=scan_id)
    except Scan.DoesNotExist as exc:
        raise Http404 from exc
    except ValidationError as error:
        return render(request, "ticketing/door/undone.html", {"error": error.messages[0]})
    return render(request, "ticketing/door/undone.html", {"ticket": ticket})


@require_POST
@login_required
def admit_offline(request, scan_id):
    try:
        outcome = scanning.admit_offline(actor=request.user, scan_id=scan_id)
    except Scan.DoesNotExist as exc:
        raise Http404 from exc
    except ValidationError as error:
        return render(request, "ticketing/door/undone.html", {"error": error.messages[0]})
    return render(request, "ticketing/door/result.html", {"outcome": outcome})


@allow_camera
@role_required(*DOOR_ROLES)
def app_scanner(request):
    """The App-Scanner (P3): any device with a camera and a browser reads QR codes continuously."""
    organisations = selectors.door_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    today = timezone.now()
    events = (
        Event.objects.filter(organisation__in=organisations, status=Event.Status.PUBLISHED)
        .filter(ends_at__gte=today - timedelta(hours=12))
        .order_by("starts_at")[:20]
    )
    return render(
        request,
        "ticketing/door/scanner.html",
        {"events": events, "gate": request.session.get(GATE_SESSION_KEY, ""), "nonce": uuid.uuid4().hex},
    )


@require_POST
@role_required(*DOOR_ROLES)
def app_scanner_check(request):
    """What the App-Scanner asks: a code read by the camera (it must hold the ticket's secret) or typed by
    hand (a ticket number is accepted then: the person typing is signed-in door staff)."""
    raw = request.POST.get("code", "")
    number = scanning.ticket_number(raw) if request.POST.get("source") != "camera" else None
    code = number or scanning.extract_code(raw)
    event_id = request.POST.get("event") or None
    if event_id is not None and not event_id.isdigit():
        return HttpResponseBadRequest(_("Unknown event."))
    event = None
    if event_id:
        event = get_object_or_404(
            Event, pk=event_id, organisation__in=selectors.door_organisations(request.user)
        )
    lookup = {"number": number} if number else {"secret": code}
    found = Ticket.objects.select_related("event").filter(**lookup).first() if code else None
    organisation_id = event.organisation_id if event else _door_organisation_for(request, found)
    if organisation_id is None:
        raise PermissionDenied
    if not code:
        return render(request, "ticketing/door/result.html", {"empty": True})
    return _scan_and_render(
        request,
        code=code,
        organisation_id=organisation_id,
        event_id=event.pk if event else None,
        by_number=number is not None,
    )


# --- Scan-On-Air (T7): "Gérer les entrées" in the seller back office ----------------------------------


def _refresh_seconds(request) -> int:
    if "refresh" in request.GET:
        try:
            chosen = int(request.GET["refresh"])
        except ValueError:
            chosen = settings.SCAN_ON_AIR_REFRESH_SECONDS
        if chosen in REFRESH_CHOICES:
            request.session[REFRESH_SESSION_KEY] = chosen
    return request.session.get(REFRESH_SESSION_KEY, settings.SCAN_ON_AIR_REFRESH_SECONDS)


@login_required
def scan_on_air(request, pk):
    event = get_object_or_404(Event.objects.select_related("organisation"), pk=pk)
    require_manager(request.user, event.organisation)
    filters = {
        "q": request.GET.get("q", "").strip()[:100],
        "presence": request.GET.get("presence", "") if request.GET.get("presence") in Presence.values else "",
        "category": request.GET.get("category", "") if request.GET.get("category", "").isdigit() else "",
    }
    page = Paginator(selectors.presence_list(event, **filters), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "event": event,
        "counts": selectors.presence_counts(event),
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "refresh": _refresh_seconds(request),
        "refresh_choices": REFRESH_CHOICES,
        "updated_at": timezone.now(),
        "presences": Presence.choices,
    }
    return render(request, "ticketing/door/scan_on_air.html", context)


@require_POST
@login_required
def change_presence(request, ticket_id):
    found = get_object_or_404(Ticket.objects.select_related("event__organisation", "category"), pk=ticket_id)
    require_manager(request.user, found.event.organisation)
    presence = request.POST.get("presence", "")
    if presence not in Presence.values:
        return HttpResponseBadRequest(_("Unknown presence."))
    try:
        found = scanning.set_presence(actor=request.user, ticket=found, presence=presence)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    if request.htmx:
        return render(
            request, "ticketing/door/presence_row.html", {"ticket": found, "presences": Presence.choices}
        )
    return redirect("ticketing:scan_on_air", found.event_id)


# --- Listings (T2–T4): "Récupérer vos listings" ------------------------------------------------------


@login_required
@csp_update({"style-src": [NONCE]})
def listing_download(request, pk, fmt):
    event = get_object_or_404(Event.objects.select_related("organisation"), pk=pk)
    require_manager(request.user, event.organisation)
    name = listings.filename(event)
    if fmt == "xlsx":
        response = HttpResponse(listings.xlsx(event), content_type=listings.XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    else:
        response = HttpResponse(
            listings.html(event, style_nonce=str(request.csp_nonce)), content_type="text/html; charset=utf-8"
        )
        if request.GET.get("download"):
            response["Content-Disposition"] = f'attachment; filename="{name}.html"'
    return response
