"""The box office's point of sale at /pos/: an installable web app for a counter's touch screen that keeps
selling offline. The page pairs the device with a station once (the station's device token, kept on the
device); from then on it speaks the box-office API (``ticketing.pos_api``) and its service worker serves
the page without a network."""

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from hub.models import Role

from .. import selectors
from ..models import Station
from ..permissions import can_manage
from ..services import counter

POS_ROLES = (Role.BOX_OFFICE, Role.SELLER_ADMIN)
ICONS = ("img/pos-192.png", "img/pos-512.png")


def _stations(user):
    organisations = selectors.organisations_of(user, *POS_ROLES)
    live = Station.objects.filter(organisation__in=organisations, revoked_at__isnull=True)
    return live.filter(kind=Station.Kind.COUNTER).select_related("organisation")


@login_required
def pos(request):
    stations = [
        {
            "id": station.pk,
            "name": station.name,
            "organisation": station.organisation.name,
            "pair": reverse("pos_pair", args=[station.pk]),
            "drawer": reverse("ticketing:station", args=[station.pk]),  # cash sessions, sales, Z reports
            # a seller admin's signed grant: the station may give complimentary tickets (offline too)
            "grant": counter.complimentary_grant(actor=request.user, station=station) if manager else "",
        }
        for station in _stations(request.user)
        for manager in [can_manage(request.user, station.organisation)]
    ]
    if not stations and not selectors.organisations_of(request.user, *POS_ROLES).exists():
        raise PermissionDenied
    return render(request, "ticketing/pos/pos.html", {"stations": stations, "strings": _strings()})


def _strings() -> dict:
    """What the page's script says, in the page's language ({name} marks what it fills in)."""
    return {
        "online": _("Online"),
        "offline": _("Offline: selling from the allotment"),
        "queued_n": _("{count} to sync"),
        "all_synced": _("All synced"),
        "last_sync": _("Last sync {time}"),
        "never_synced": _("Not synced yet"),
        "left": _("{count} left"),
        "in_hand": _("{count} in hand offline"),
        "pair_confirm": _(
            "This device will sell for “{station}”. A device that sold for it before stops syncing until "
            "the station is picked there again. Continue?"
        ),
        "pair_failed": _("The station could not be paired: {reason}"),
        "unpaired": _(
            "This device is no longer paired with its station: pick the station again to send the sales "
            "waiting here (nothing is lost)."
        ),
        "no_lines": _("Choose at least one ticket."),
        "cash_short": _("The cash received is less than the total."),
        "bad_amount": _("Type the cash received as a number, e.g. 50 or 20.50."),
        "card_reference": _("Give the card terminal’s reference of the payment."),
        "reason": _("Say why the tickets are complimentary."),
        "bad_email": _("This email address is not valid."),
        "not_in_hand": _(
            "Offline, only {left} tickets of “{category}” are in hand: sell fewer, or wait for the network."
        ),
        "change": _("Change to give: {amount}"),
        "sold": _("Sold: {amount}"),
        "sold_queued": _("Sold offline: the sale waits on this device and syncs by itself."),
        "sold_synced": _("Synced: order {order}."),
        "sold_waiting": _("Waiting for the server: the tickets print as soon as it answers."),
        "status_queued": _("waiting to sync"),
        "status_synced": _("synced"),
        "status_accepted": _("accepted over capacity"),
        "status_conflict": _("over capacity: a manager settles it"),
        "status_refused": _("refused"),
        "status_refunded": _("refunded"),
        "print": _("Print"),
        "status_mismatch": _("refused: this sale id was synced with other content"),
        "close_confirm": _("Put the unsold allotment of every event back on sale? Offline selling stops."),
        "close_waiting": _("Sync the {count} sales waiting here first: the network is needed."),
        "closed": _("{count} seats put back on sale."),
        "cash": _("Cash"),
        "card": _("Card"),
        "complimentary": _("Complimentary"),
        "ticket": _("Ticket"),
        "order": _("Order"),
        "paid_by": _("Paid by"),
        "received": _("Received"),
        "change_given": pgettext("money given back", "Change"),
        "total": _("Total"),
        "sold_offline": _("Sold offline"),
        "keep_ticket": _("Keep this ticket: its QR code is checked at the door."),
        "kiosk_offline": _("Finding a kiosk order needs the network."),
        "kiosk_reference": _("Type the reference the kiosk showed the customer."),
        "kiosk_not_found": _("No kiosk order of yours has this reference."),
        "kiosk_held_until": _("Seats held until {time}"),
        "kiosk_paid": _("Paid: order {order}. The tickets were also emailed to the customer."),
        "remove": _("Remove one"),
        "add": _("Add one"),
    }


@require_POST
@login_required
def pair(request, pk):
    """Pair this device with a station: its new device token, which the page keeps (shown nowhere)."""
    station = get_object_or_404(_stations(request.user), pk=pk)
    try:
        token = counter.pair_station(actor=request.user, station=station)
    except ValidationError as error:
        return JsonResponse({"detail": error.messages}, status=400)
    return JsonResponse({"token": token, "station": {"id": station.pk, "name": station.name}})


@never_cache
def service_worker(request):
    """The service worker, served under /pos/ so that it controls the POS page and nothing else."""
    shell = [reverse("pos"), reverse("pos_manifest"), static("css/guichet.css"), static("js/pos.js")]
    shell += [static("favicon.svg"), *(static(icon) for icon in ICONS)]
    return render(
        request, "ticketing/pos/sw.js", {"shell": json.dumps(shell)}, content_type="text/javascript"
    )


def manifest(request):
    return JsonResponse(
        {
            "name": _("Guichet box office"),
            "short_name": _("Box office"),
            "start_url": reverse("pos"),
            "scope": reverse("pos"),
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#f2a33a",
            "icons": [
                {"src": static(icon), "sizes": size, "type": "image/png"}
                for icon, size in zip(ICONS, ("192x192", "512x512"), strict=True)
            ],
        },
        content_type="application/manifest+json",
    )
