"""Operator screens: seller spaces (verification after a call, suspension) and payouts."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hub.models import Role
from hub.permissions import role_required

from .. import exports, selectors
from ..forms import CommissionForm, CurrencyForm, NoteForm, PayoutReferenceForm, ReasonForm
from ..models import Organisation, Settlement
from ..services import sellers, settlements
from .seller import SESSION_KEY


@role_required(Role.OPERATOR)
def seller_list(request):
    status = request.GET.get("status", "")
    spaces = Organisation.objects.annotate(event_count=Count("events")).order_by("-created_at")
    if status in Organisation.Status.values:
        spaces = spaces.filter(status=status)
    if q := request.GET.get("q", "").strip():
        spaces = spaces.filter(
            Q(name__icontains=q) | Q(contact_email__icontains=q) | Q(contact_phone__icontains=q)
        )
    page = Paginator(spaces, 50).get_page(request.GET.get("page"))
    counts = dict(Organisation.objects.values_list("status").annotate(n=Count("id")).order_by())
    return render(
        request,
        "ticketing/operator/sellers.html",
        {
            "page": page,
            "status": status,
            "q": q,
            "statuses": [
                (value, label, counts.get(value, 0)) for value, label in Organisation.Status.choices
            ],
            "query": urlencode({"status": status, "q": q}),
        },
    )


@role_required(Role.OPERATOR)
def seller_detail(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    return render(
        request,
        "ticketing/operator/seller_detail.html",
        {
            "organisation": organisation,
            "members": selectors.members(organisation),
            "note_form": NoteForm(),
            "reason_form": ReasonForm(),
            "commission_form": CommissionForm.for_organisation(organisation),
            "currency_form": CurrencyForm(initial={"currency": organisation.currency}),
            "has_orders": organisation.orders.exists(),
        },
    )


@require_POST
@role_required(Role.OPERATOR)
def seller_action(request, pk, action):
    organisation = get_object_or_404(Organisation, pk=pk)
    try:
        if action == "verify":
            form = NoteForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Note who you spoke to before verifying."))
            sellers.verify_by_call(
                actor=request.user, organisation=organisation, note=form.cleaned_data["note"]
            )
            messages.success(request, _("The seller space is verified and active."))
        elif action == "suspend":
            form = ReasonForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Give a reason for the suspension."))
            sellers.suspend_seller(
                actor=request.user, organisation=organisation, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The seller space is suspended: its events are off sale."))
        elif action == "reactivate":
            sellers.reactivate_seller(actor=request.user, organisation=organisation)
            messages.success(request, _("The seller space is reactivated."))
        elif action == "commission":
            form = CommissionForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Check the commission figures: each must be a number within bounds."))
            sellers.set_commission_schedule(actor=request.user, organisation=organisation, **form.schedule())
            messages.success(request, _("The new tariff applies to tickets paid from now on."))
        elif action == "currency":
            form = CurrencyForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose one of the currencies offered."))
            currency = form.cleaned_data["currency"]
            sellers.set_currency(actor=request.user, organisation=organisation, currency=currency)
            messages.success(
                request, _("The seller space now sells in %(currency)s.") % {"currency": currency}
            )
        elif action == "open":
            request.session[SESSION_KEY] = organisation.pk
            return redirect("ticketing:events")
    except (ValidationError, sellers.VerificationError) as error:
        messages.error(request, error.messages[0] if hasattr(error, "messages") else str(error))
    return redirect("ticketing:seller_detail", pk)


@role_required(Role.OPERATOR)
def payouts(request):
    today = timezone.localdate()
    return render(
        request,
        "ticketing/operator/payouts.html",
        {"groups": selectors.payouts(today=today), "today": today, "reference_form": PayoutReferenceForm()},
    )


@require_POST
@role_required(Role.OPERATOR)
def payout_action(request, pk, action):
    settlement = get_object_or_404(Settlement, pk=pk)
    try:
        if action == "approve":
            settlements.approve_settlement(actor=request.user, settlement=settlement)
            messages.success(request, _("The statement is approved."))
        elif action == "paid":
            form = PayoutReferenceForm(request.POST)
            reference = form.cleaned_data["reference"] if form.is_valid() else ""
            settlements.mark_settlement_paid(actor=request.user, settlement=settlement, reference=reference)
            messages.success(request, _("The payout is recorded as paid."))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("ticketing:payouts")


@role_required(Role.OPERATOR)
def payouts_export(request):
    today = timezone.localdate()
    content = exports.payouts_xlsx(selectors.payouts(today=today), today=today)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="guichet-payouts-{today:%Y-%m-%d}.xlsx"'
    return response
