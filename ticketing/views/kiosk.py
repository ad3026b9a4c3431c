"""Kiosk mode (P5) on the kiosk's own screen, under /fr|de|en/kiosk/: customers buy tickets of the
organisation's events themselves, and pay by card on the payment provider's page or at the counter.

The device is the kiosk once paired (``kiosks.pair_kiosk``): its device token is in a signed, HttpOnly
cookie, and every page but the pairing page needs it (an unpaired device is sent to pair, a POST refused).
The pages are full screen and made for touch; static/js/kiosk.js brings the full-screen button, the +/−
buttons and the return to the start screen (in the default language) after ``KIOSK_IDLE_SECONDS`` untouched.
Navigation is boosted by htmx, so that the page stays full screen from one step to the next.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from hub import ratelimit
from hub.forms import add_service_errors
from hub.i18n import current_language

from .. import qr, selectors
from ..kiosk_forms import KioskOrderForm, PairingForm
from ..models import Event, Order
from ..permissions import SellerNotActive
from ..services import kiosks, orders

COOKIE = "guichet_kiosk"
COOKIE_SALT = "ticketing.kiosk"
COOKIE_AGE = 5 * 365 * 24 * 3600  # the device stays the kiosk until it is revoked or paired again


def _kiosk(request):
    raw = request.get_signed_cookie(COOKIE, default="", salt=COOKIE_SALT)
    return kiosks.kiosk_for_token(raw) if raw else None


def kiosk_required(view):
    """A paired kiosk's page (``request.kiosk``); an unpaired device is sent to pair, a POST refused."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.kiosk = _kiosk(request)
        if request.kiosk is None:
            if request.method != "GET":
                raise PermissionDenied
            return redirect("ticketing:kiosk_pair")
        return view(request, *args, **kwargs)

    return wrapped


def _render(request, template: str, context: dict, *, at_home: bool = False):
    kiosk = getattr(request, "kiosk", None)
    with translation.override(settings.LANGUAGE_CODE):
        home = reverse("ticketing:kiosk")
    path = request.get_full_path()
    return render(
        request,
        template,
        {
            "kiosk": kiosk,
            "kiosk_home": home,
            "idle_seconds": settings.KIOSK_IDLE_SECONDS if kiosk else 0,
            "at_home": at_home,
            "languages": [(code, name, translate_url(path, code)) for code, name in settings.LANGUAGES],
            **context,
        },
    )


def _go(request, url: str):
    """To ``url`` with a full page load: the payment provider's page is not swapped into the kiosk's."""
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def pair(request):
    """The device becomes a kiosk with the one-time code a seller admin got in the back office."""
    form = PairingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = ratelimit.client_ip(request)
        if not ratelimit.hit("kiosk-pair", ip, limit=10, window=600):
            form.add_error(None, _("Too many attempts from this address. Please wait ten minutes."))
        else:
            try:
                kiosk, raw = kiosks.pair_kiosk(code=form.cleaned_data["code"], ip=ip or None)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                response = redirect("ticketing:kiosk")
                response.set_signed_cookie(
                    COOKIE,
                    raw,
                    salt=COOKIE_SALT,
                    max_age=COOKIE_AGE,
                    httponly=True,
                    secure=settings.SESSION_COOKIE_SECURE,
                    samesite="Lax",  # sent when the payment provider's page sends the customer back
                )
                messages.success(
                    request, _("This device is now the kiosk “%(name)s”.") % {"name": kiosk.name}
                )
                return response
    return _render(request, "ticketing/kiosk/pair.html", {"form": form, "paired": _kiosk(request)})


@kiosk_required
def start(request):
    events = list(selectors.events_on_sale(request.kiosk.organisation))
    for event in events:
        prices = [category.price for category in event.categories.all()]
        event.from_price = min(prices) if prices else None
    at_home = current_language() == settings.LANGUAGE_CODE
    return _render(request, "ticketing/kiosk/start.html", {"events": events}, at_home=at_home)


@kiosk_required
def event(request, pk):
    event = get_object_or_404(
        Event.objects.select_related("organisation").prefetch_related("categories"),
        pk=pk,
        organisation=request.kiosk.organisation_id,
    )
    if not event.on_sale():
        raise Http404
    available = selectors.availability(event)
    categories = [(category, available[category.pk]) for category in event.categories.all()]
    form = KioskOrderForm(request.POST or None, categories=categories)
    if request.method == "POST" and form.is_valid():
        at_counter = request.POST.get("pay") == "counter"
        try:
            order = kiosks.place_kiosk_order(
                kiosk=request.kiosk,
                event_id=event.pk,
                quantities=form.quantities(),
                buyer_email=form.cleaned_data["email"],
                buyer_name=form.cleaned_data["name"],
                language=current_language(),
                at_counter=at_counter,
            )
        except orders.CheckoutError as error:
            add_service_errors(form, error)
        except SellerNotActive as error:
            form.add_error(None, str(error))
        else:
            if at_counter or order.status == Order.Status.PAID:
                return redirect("ticketing:kiosk_order", order.reference)
            return _pay_by_card(request, order)
    context = {
        "event": event,
        "form": form,
        "currency": event.organisation.currency,
        "hold_minutes": settings.KIOSK_HOLD_MINUTES,
    }
    return _render(request, "ticketing/kiosk/event.html", context)


def _pay_by_card(request, order: Order):
    url = settings.SITE_URL + reverse("ticketing:kiosk_order", args=[order.reference])
    try:
        return _go(
            request, orders.start_payment(order=order, return_url=url + "?paid=1", cancel_url=url + "?card=0")
        )
    except orders.PaymentError:
        messages.error(
            request, _("The payment service does not answer just now. Pay at the counter, or try again.")
        )
        return redirect(url + "?card=0")


@kiosk_required
def order(request, reference):
    """The kiosk's order: its tickets once paid, the reference to give at the counter, or the payment being
    confirmed (htmx polls the page then)."""
    order = get_object_or_404(
        Order.objects.select_related("event").prefetch_related("tickets__category"),
        reference=reference,
        station=request.kiosk,
    )
    waiting = order.status == Order.Status.PENDING and order.expires_at > timezone.now()
    if request.method == "POST" and waiting:
        if request.POST.get("pay") == "card":
            return _pay_by_card(request, order)
        try:
            kiosks.hold_at_counter(kiosk=request.kiosk, order=order)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        return redirect("ticketing:kiosk_order", order.reference)
    context = {
        "order": order,
        "event": order.event,
        "waiting": waiting,
        "confirming": waiting and bool(request.GET.get("paid")),
        "card_failed": waiting and bool(request.GET.get("card")),
        "reference_qr": qr.data_uri(order.reference, box_size=10) if waiting else "",
    }
    return _render(request, "ticketing/kiosk/order.html", context)
