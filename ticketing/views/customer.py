"""The customer space (T12): every order and ticket bought with one email address."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hub import ratelimit
from hub.i18n import current_language

from .. import selectors
from ..forms import CustomerLinkForm
from ..models import Order
from ..services import customers, orders

SESSION_KEY = "customer_email"


def space(request):
    email = request.session.get(SESSION_KEY)
    if email:
        return render(
            request,
            "ticketing/customer/space.html",
            {"email": email, "orders": selectors.customer_orders(email)},
        )
    form = CustomerLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            customers.request_sign_in_link(
                email=form.cleaned_data["email"],
                language=current_language(),
                ip=ratelimit.client_ip(request),
            )
        except customers.TooManyRequests:
            form.add_error(None, _("Too many requests. Please wait an hour before asking again."))
        else:
            return render(request, "ticketing/customer/link_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "ticketing/customer/request_link.html", {"form": form})


def sign_in(request, token):
    email = customers.email_from_token(token)
    if email is None:
        messages.error(request, _("This link has expired or is not valid. Ask for a new one."))
        return redirect("ticketing:customer")
    request.session.cycle_key()
    request.session[SESSION_KEY] = email
    return redirect("ticketing:customer")


@require_POST
def sign_out(request):
    request.session.pop(SESSION_KEY, None)
    return redirect("ticketing:customer")


@require_POST
def resend(request, reference):
    email = request.session.get(SESSION_KEY)
    if not email:
        return redirect("ticketing:customer")
    order = get_object_or_404(Order, reference=reference, buyer_email__iexact=email)
    try:
        orders.resend_tickets(actor=email, order=order, ip=ratelimit.client_ip(request))
        messages.success(request, _("Your tickets are on their way to %(email)s.") % {"email": email})
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error.messages[0] if hasattr(error, "messages") else _("Not allowed."))
    return redirect("ticketing:customer")
