"""Pages for buyers and the public: organiser and event pages, checkout, order, ticket, tariff, sign-up."""

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from hub import ratelimit, tokens
from hub.audit import log_action
from hub.forms import add_service_errors
from hub.i18n import current_language

from .. import qr, selectors
from ..audit import Action
from ..commission import Schedule, quote
from ..forms import JoinForm, PasswordForm, SellerSignupForm, build_checkout_form
from ..models import Event, Invitation, Order, Organisation, Ticket
from ..payments import InvalidNotification, get_provider
from ..permissions import SellerNotActive
from ..services import orders, refunds, sellers

EXAMPLE_PRICES = ("5.00", "10.00", "25.00", "50.00", "100.00")


def tariff(request):
    schedule = Schedule.default()
    examples = [quote(Decimal(price), schedule) for price in EXAMPLE_PRICES]
    return render(
        request,
        "ticketing/tariff.html",
        {
            "schedule": schedule,
            "percent": schedule.percent * 100,
            "vat_percent": schedule.vat_rate * 100,
            "examples": examples,
        },
    )


def events_on_sale(request):
    return render(request, "ticketing/events_on_sale.html", {"events": selectors.events_on_sale()})


def organiser(request, org_slug):
    organisation = get_object_or_404(
        Organisation.objects.exclude(status=Organisation.Status.SUSPENDED), slug=org_slug
    )
    return render(
        request,
        "ticketing/organiser.html",
        {"organisation": organisation, "events": selectors.public_events(organisation=organisation)},
    )


def _public_event(org_slug, event_slug) -> Event:
    event = get_object_or_404(
        Event.objects.select_related("organisation").prefetch_related("categories"),
        organisation__slug=org_slug,
        slug=event_slug,
        status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED],
    )
    if event.organisation.status == Organisation.Status.SUSPENDED:
        raise Http404
    return event


def event_page(request, org_slug, event_slug):
    event = _public_event(org_slug, event_slug)
    available = selectors.availability(event)
    most = settings.MAX_TICKETS_PER_ORDER  # one limit: what the service accepts is what the page offers
    categories = [
        (c, available[c.pk], range(min(max(available[c.pk], 0), most) + 1)) for c in event.categories.all()
    ]
    return render(
        request,
        "ticketing/event.html",
        {"event": event, "categories": categories, "on_sale": event.on_sale(), "now": timezone.now()},
    )


def _requested_seats(request, event: Event) -> list:
    """The categories asked for on the event page (q_<category id>=<count>), one entry per seat; more
    tickets than an order may hold is refused here by the service's rule (``CheckoutError``), not cut down."""
    counts = []
    source = request.POST if request.method == "POST" else request.GET
    for category in event.categories.all():
        try:
            count = int(source.get(f"q_{category.pk}", 0) or 0)
        except ValueError:
            count = 0
        counts.append((category, max(count, 0)))
    orders.check_ticket_count(sum(count for _category, count in counts))
    return [category for category, count in counts for _ in range(count)]


def checkout(request, org_slug, event_slug):
    event = _public_event(org_slug, event_slug)
    try:
        seats = _requested_seats(request, event)
    except orders.CheckoutError as error:
        messages.error(request, error.messages[0])
        return redirect("ticketing:event", org_slug, event_slug)
    if not event.on_sale():
        messages.error(request, _("Ticket sales for this event are closed."))
        return redirect("ticketing:event", org_slug, event_slug)
    if not seats:
        messages.error(request, _("Choose at least one ticket."))
        return redirect("ticketing:event", org_slug, event_slug)
    form = build_checkout_form(event, seats)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.hit("checkout", ratelimit.client_ip(request), limit=30, window=600):
            form.add_error(None, _("Too many orders from your address. Please wait a few minutes."))
        else:
            data = form.cleaned_data
            wanted = [
                orders.Seat(category.pk, data[f"first_name_{i}"], data[f"last_name_{i}"])
                for i, category in enumerate(seats)
            ]
            try:
                order = orders.place_order(
                    event_id=event.pk,
                    buyer_email=data["email"],
                    language=current_language(),
                    seats=wanted,
                )
            except orders.CheckoutError as error:
                add_service_errors(form, error)
            except SellerNotActive as error:
                form.add_error(None, str(error))
            else:
                if order.status == Order.Status.PAID:
                    return redirect(orders.order_url(order))
                return _pay(request, order)
    total = sum((category.price for category in seats), Decimal("0.00"))
    rows = [(category, form[f"first_name_{i}"], form[f"last_name_{i}"]) for i, category in enumerate(seats)]
    return render(
        request,
        "ticketing/checkout.html",
        {
            "event": event,
            "form": form,
            "rows": rows,
            "total": total,
            "quantities": _quantities(seats),
            "hold_minutes": settings.ORDER_HOLD_MINUTES,
        },
    )


def _pay(request, order: Order):
    """To the provider's payment page; back to the held order when the provider cannot be reached."""
    try:
        return redirect(orders.start_payment(order=order))
    except orders.PaymentError:
        messages.error(
            request, _("The payment service does not answer just now. Your seats are held: try again.")
        )
        return redirect(orders.order_url(order))


def _quantities(seats) -> dict[str, int]:
    counts = {}
    for category in seats:
        counts[f"q_{category.pk}"] = counts.get(f"q_{category.pk}", 0) + 1
    return counts


def order_page(request, reference, token):
    try:
        if signing.loads(token, salt="ticketing.order") != reference:
            raise signing.BadSignature
    except signing.BadSignature as exc:
        raise Http404 from exc
    order = get_object_or_404(
        Order.objects.select_related("event", "event__organisation").prefetch_related("tickets__category"),
        reference=reference,
    )
    if (
        request.method == "POST"
        and order.status == Order.Status.PENDING
        and order.expires_at > timezone.now()
    ):
        return _pay(request, order)
    # htmx polls this page while the payment is being confirmed and keeps only #order-status
    return render(
        request, "ticketing/order.html", {"order": order, "event": order.event, "now": timezone.now()}
    )


def ticket_page(request, secret):
    """What a QR code opens: the ticket itself, printable. (Door staff get the scan page: next issue.)"""
    ticket = get_object_or_404(
        Ticket.objects.select_related("event", "event__organisation", "category", "order"), secret=secret
    )
    if ticket.status == Ticket.Status.RESERVED:
        raise Http404  # not paid yet: no ticket to show
    return render(request, "ticketing/ticket.html", {"ticket": ticket, "event": ticket.event})


@cache_control(max_age=86400, private=True)
def ticket_qr(request, secret):
    ticket = get_object_or_404(Ticket.objects.exclude(status=Ticket.Status.RESERVED), secret=secret)
    return HttpResponse(qr.png(qr.ticket_url(ticket)), content_type="image/png")


@csrf_exempt
@require_POST
def payment_notify(request, provider):
    """Server-to-server notification of the payment provider; answers 2xx only when it is applied."""
    try:
        backend = get_provider(provider)
        notification = backend.parse_notification(request)
        if notification is not None and notification.status == "refunded":
            refunds.record_provider_refund(provider=backend.code, notification=notification)
        elif notification is not None:
            orders.record_payment(provider=backend.code, notification=notification)
    except (InvalidNotification, orders.PaymentRejected, orders.PaymentError) as error:
        log_action(
            provider,
            Action.PAYMENT_NOTIFICATION_REJECTED,
            data={"error": str(error)[:500]},
            ip=ratelimit.client_ip(request) or None,
        )
        return HttpResponseBadRequest("rejected")
    return HttpResponse("ok")


def seller_signup(request):
    """Step one: the organisation and its first admin; the answer is the same for every address."""
    form = SellerSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = ratelimit.client_ip(request)
        if not ratelimit.hit("seller-signup", ip, limit=5, window=3600):
            form.add_error(None, _("Too many sign-ups from your address. Please try again in an hour."))
        else:
            data = form.cleaned_data
            sellers.request_seller_space(
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["contact_email"],
                language=current_language(),
                ip=ip,
                **form.organisation_fields(),
            )
            return render(request, "ticketing/seller_signup_sent.html", {"email": data["contact_email"]})
    return render(request, "ticketing/seller_signup.html", {"form": form})


def seller_signup_confirm(request, token):
    """Step two, from the emailed link: choose a password; the space is created and its phone checked."""
    details = sellers.seller_signup_details(token)
    if details is None:
        messages.error(request, _("This link has expired or is not valid. Please fill in the form again."))
        return redirect("ticketing:seller_signup")
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = sellers.register_seller(
                first_name=details["first_name"],
                last_name=details["last_name"],
                email=details["email"],
                password=form.cleaned_data["password1"],
                language=details["language"],
                ip=ratelimit.client_ip(request),
                **details["organisation"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            user = organisation.memberships.get().user
            login(request, user, backend="hub.backends.UsernameOrEmailBackend")
            try:
                sellers.send_verification_code(
                    actor=user, organisation=organisation, ip=ratelimit.client_ip(request)
                )
            except sellers.VerificationError as error:
                messages.warning(request, str(error))
            return redirect(reverse("ticketing:verification"))
    return render(request, "ticketing/seller_signup_confirm.html", {"form": form, "details": details})


def invitation(request, token):
    """An invitation's page. It looks the same whether or not the invited address has an account."""
    invite = get_object_or_404(
        Invitation.objects.select_related("organisation"), token_digest=tokens.digest(token)
    )
    for_you = request.user.is_authenticated and sellers.is_invited(request.user, invite)
    if invite.accepted_at and for_you:
        return redirect("hub:dashboard")  # signed in after joining with a new account
    if invite.accepted_at or invite.expires_at < timezone.now():
        return render(
            request, "ticketing/invitation.html", {"invitation": invite, "expired": True}, status=410
        )
    form = JoinForm(request.POST or None) if not request.user.is_authenticated else None
    if request.method == "POST" and request.user.is_authenticated:
        try:
            sellers.accept_invitation(invitation=invite, user=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request, _("Welcome to %(organisation)s.") % {"organisation": invite.organisation.name}
            )
            return redirect("hub:dashboard")
    elif request.method == "POST" and form.is_valid():
        sellers.join_with_new_account(
            invitation=invite,
            token=token,
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            password=form.cleaned_data["password1"],
            language=current_language(),
        )
        return render(request, "ticketing/invitation.html", {"invitation": invite, "sent": True})
    return render(
        request, "ticketing/invitation.html", {"invitation": invite, "form": form, "for_you": for_you}
    )
