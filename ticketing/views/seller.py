"""The seller back office: verification, events and categories, sales, orders, members, statements."""

import base64
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hub import ratelimit
from hub.forms import add_service_errors
from hub.i18n import current_language
from hub.models import Role

from .. import qr, selectors
from ..formatting import format_amount
from ..forms import (
    CategoryForm,
    DeviceForm,
    EventForm,
    InviteForm,
    OrderSearchForm,
    ReasonForm,
    VerificationCodeForm,
)
from ..models import (
    Category,
    Event,
    Invitation,
    ListingDispatch,
    Membership,
    Order,
    Organisation,
    ScanDevice,
)
from ..permissions import SellerNotActive, can_manage, require_manager
from ..services import events as event_services
from ..services import orders, refunds, scanning, sellers

SESSION_KEY = "ticketing_organisation"


def current_organisation(request) -> Organisation:
    """The organisation the user works on: chosen in the session, else their first seller space."""
    chosen = request.session.get(SESSION_KEY)
    if chosen:
        organisation = Organisation.objects.filter(pk=chosen).first()
        if organisation and can_manage(request.user, organisation):
            return organisation
    organisation = selectors.organisations_of(request.user, Role.SELLER_ADMIN).first()
    if organisation is None:
        raise PermissionDenied
    return organisation


def _managed_event(request, pk) -> Event:
    event = get_object_or_404(Event.objects.select_related("organisation"), pk=pk)
    require_manager(request.user, event.organisation)
    return event


@login_required
def verification(request):
    organisation = current_organisation(request)
    form = VerificationCodeForm(request.POST or None)
    if request.method == "POST":
        try:
            if "resend" in request.POST:
                sellers.send_verification_code(
                    actor=request.user, organisation=organisation, ip=ratelimit.client_ip(request)
                )
                messages.success(
                    request,
                    _("A new code is on its way to %(phone)s.") % {"phone": organisation.contact_phone},
                )
                return redirect("ticketing:verification")
            if form.is_valid():
                if sellers.check_verification_code(
                    actor=request.user, organisation=organisation, code=form.cleaned_data["code"]
                ):
                    messages.success(
                        request, _("Your phone number is verified: your seller space is active.")
                    )
                    return redirect("ticketing:events")
                form.add_error("code", _("This code is not right. Check the SMS and try again."))
        except sellers.VerificationError as error:
            messages.error(request, str(error))
            return redirect("ticketing:verification")
    return render(
        request, "ticketing/backoffice/verification.html", {"organisation": organisation, "form": form}
    )


@require_POST
@login_required
def switch_organisation(request):
    organisation = get_object_or_404(Organisation, pk=request.POST.get("organisation"))
    require_manager(request.user, organisation)
    request.session[SESSION_KEY] = organisation.pk
    return redirect("ticketing:events")


@login_required
def event_list(request):
    organisation = current_organisation(request)
    events = selectors.organisation_events(organisation)
    switchable = selectors.organisations_of(request.user, Role.SELLER_ADMIN)
    return render(
        request,
        "ticketing/backoffice/events.html",
        {
            "organisation": organisation,
            "events": events,
            "organisations": switchable,
            "blocked": {"organisations": [organisation]},
        },
    )


@login_required
def event_form(request, pk=None):
    organisation = current_organisation(request) if pk is None else None
    event = _managed_event(request, pk) if pk else None
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in event_services.EVENT_FIELDS}
        try:
            if event is None:
                event = event_services.create_event(actor=request.user, organisation=organisation, **fields)
                messages.success(request, _("The event is created as a draft. Add its ticket categories."))
            else:
                event_services.update_event(actor=request.user, event=event, **fields)
                messages.success(request, _("The event is saved."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("ticketing:event_dashboard", event.pk)
    return render(request, "ticketing/backoffice/event_form.html", {"form": form, "event": event})


@login_required
def event_dashboard(request, pk):
    event = _managed_event(request, pk)
    return render(
        request,
        "ticketing/backoffice/event_dashboard.html",
        {
            "event": event,
            "sales": selectors.event_sales(event),
            "cancel_form": ReasonForm(),
            "blocked": {"organisations": [event.organisation]},
        },
    )


@login_required
def category_form(request, event_pk, pk=None):
    event = _managed_event(request, event_pk)
    category = get_object_or_404(Category, pk=pk, event=event) if pk else None
    form = CategoryForm(request.POST or None, event=event, instance=category)
    if request.method == "POST" and form.is_valid():
        try:
            event_services.save_category(
                actor=request.user, event=event, category=category, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The category is saved."))
            return redirect("ticketing:event_dashboard", event.pk)
    return render(
        request,
        "ticketing/backoffice/category_form.html",
        {"form": form, "event": event, "category": category},
    )


@require_POST
@login_required
def category_delete(request, event_pk, pk):
    event = _managed_event(request, event_pk)
    try:
        event_services.delete_category(
            actor=request.user, category=get_object_or_404(Category, pk=pk, event=event)
        )
        messages.success(request, _("The category is deleted."))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("ticketing:event_dashboard", event.pk)


@require_POST
@login_required
def event_publish(request, pk):
    event = _managed_event(request, pk)
    try:
        event_services.publish_event(actor=request.user, event=event)
        messages.success(request, _("The event is published: tickets are on sale from the sales start."))
    except SellerNotActive as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("ticketing:event_dashboard", event.pk)


@require_POST
@login_required
def event_cancel(request, pk):
    event = _managed_event(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason: buyers will read it."))
    else:
        try:
            event_services.cancel_event(actor=request.user, event=event, reason=form.cleaned_data["reason"])
            messages.success(request, _("The event is cancelled. Every paid order is being refunded."))
        except ValidationError as error:
            messages.error(request, error.messages[0])
    return redirect("ticketing:event_dashboard", event.pk)


@login_required
def event_orders(request, pk):
    event = _managed_event(request, pk)
    form = OrderSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(selectors.event_orders(event, **filters), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"event": event, "form": form, "page": page, "query": query.urlencode()}
    template = "ticketing/backoffice/order_rows.html" if request.htmx else "ticketing/backoffice/orders.html"
    return render(request, template, context)


def _managed_order(request, reference) -> Order:
    order = get_object_or_404(
        Order.objects.select_related("event", "organisation").prefetch_related(
            "tickets__category", "payments__refunds"
        ),
        reference=reference,
    )
    require_manager(request.user, order.organisation)
    return order


@login_required
def order_detail(request, reference):
    order = _managed_order(request, reference)
    return render(
        request,
        "ticketing/backoffice/order_detail.html",
        {
            "order": order,
            "event": order.event,
            "refund_form": ReasonForm(),
            "left_to_refund": order.total - order.refunded_amount,
        },
    )


@require_POST
@login_required
def order_refund(request, reference):
    order = _managed_order(request, reference)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for the refund."))
        return redirect("ticketing:order_detail", reference)
    try:
        order = refunds.refund_order(actor=request.user, order=order, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            _("The order is cancelled and %(amount)s refunded.")
            % {"amount": format_amount(order.refunded_amount, order.currency)},
        )
    except ValidationError as error:  # among them, the provider's refusal, with its reason
        messages.error(request, error.messages[0])
    return redirect("ticketing:order_detail", reference)


@require_POST
@login_required
def ticket_refund(request, reference, number):
    order = _managed_order(request, reference)
    ticket = get_object_or_404(order.tickets, number=number)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for the refund."))
        return redirect("ticketing:order_detail", reference)
    try:
        refunds.refund_ticket(actor=request.user, ticket=ticket, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            _("Ticket %(number)s is cancelled and %(amount)s refunded.")
            % {"number": ticket.number, "amount": format_amount(ticket.price, order.currency)},
        )
    except ValidationError as error:  # among them, the provider's refusal, with its reason
        messages.error(request, error.messages[0])
    return redirect("ticketing:order_detail", reference)


@require_POST
@login_required
def order_resend(request, reference):
    order = _managed_order(request, reference)
    try:
        orders.resend_tickets(actor=request.user, order=order, ip=ratelimit.client_ip(request))
        messages.success(
            request, _("The tickets are sent again to %(email)s.") % {"email": order.buyer_email}
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("ticketing:order_detail", reference)


@login_required
def members(request):
    organisation = current_organisation(request)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sellers.invite_member(
                actor=request.user,
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                language=current_language(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The invitation is sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return redirect("ticketing:members")
    context = {
        "organisation": organisation,
        "members": selectors.members(organisation),
        "invitations": organisation.invitations.filter(accepted_at__isnull=True),
        "form": form,
    }
    return render(request, "ticketing/backoffice/members.html", context)


@require_POST
@login_required
def member_remove(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("organisation", "user"), pk=pk)
    try:
        sellers.remove_member(actor=request.user, membership=membership)
        messages.success(request, _("%(name)s no longer belongs to this space.") % {"name": membership.user})
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("ticketing:members")


@require_POST
@login_required
def invitation_revoke(request, pk):
    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), pk=pk)
    try:
        sellers.withdraw_invitation(actor=request.user, invitation=invitation)
        messages.success(
            request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email}
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("ticketing:members")


@login_required
def statements(request):
    organisation = current_organisation(request)
    return render(
        request,
        "ticketing/backoffice/statements.html",
        {"organisation": organisation, "settlements": organisation.settlements.select_related("event")},
    )


@login_required
def event_listings(request, pk):
    """The “Récupérer vos listings” tab: both formats at any time, and when the automatic one went out."""
    event = _managed_event(request, pk)
    dispatch = ListingDispatch.objects.filter(event=event).first()
    window = timedelta(minutes=settings.LISTING_WINDOW_MINUTES)
    return render(
        request,
        "ticketing/backoffice/listings.html",
        {"event": event, "dispatch": dispatch, "sends_at": event.sales_end - window},
    )


@login_required
def event_poster(request, pk):
    """The “Affiche QR” tab: an A4 poster whose QR code opens the event's sale page (P4), to send the
    queue at a slow or broken counter to online purchase."""
    event = _managed_event(request, pk)
    url = qr.event_url(event)
    image = base64.b64encode(qr.png(url, box_size=16)).decode()
    return render(request, "ticketing/backoffice/poster.html", {"event": event, "url": url, "qr_png": image})


@login_required
def devices(request):
    """Scanner tokens for apps at the door: each can only scan this organisation's tickets."""
    organisation = current_organisation(request)
    form = DeviceForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        device, raw = scanning.create_device(
            actor=request.user, organisation=organisation, name=form.cleaned_data["name"]
        )
        created = {"device": device, "token": raw}
        form = DeviceForm()
    context = {
        "organisation": organisation,
        "devices": organisation.scan_devices.all(),
        "form": form,
        "created": created,
    }
    return render(request, "ticketing/backoffice/devices.html", context)


@require_POST
@login_required
def device_revoke(request, pk):
    device = get_object_or_404(ScanDevice.objects.select_related("organisation"), pk=pk)
    scanning.revoke_device(actor=request.user, device=device)
    messages.success(
        request, _("The token “%(name)s” is revoked: it can no longer scan.") % {"name": device.name}
    )
    return redirect("ticketing:devices")
