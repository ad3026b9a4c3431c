"""The box office in the back office: stations, their cash sessions and sales, conflicts to settle and Z
reports. Box-office staff of an organisation see its stations and Z reports and open and close cash
sessions; its seller admins also create and revoke stations, give sales back and settle conflicts."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hub.forms import add_service_errors

from .. import box_office_selectors as box_office
from .. import exports, selectors
from ..formatting import format_amount
from ..forms import CashCloseForm, CashOpenForm, CounterRefundForm, SettleForm, StationForm
from ..models import CashSession, CounterSale, Organisation, Station
from ..permissions import can_manage, require_manager, require_member
from ..services import box_office as services
from ..services import counter
from .seller import SESSION_KEY

ROLES = services.CASH_ROLES  # who sees the box office of an organisation


def _sees(user, organisation: Organisation) -> bool:
    try:
        require_member(user, organisation, *ROLES)
    except PermissionDenied:
        return False
    return True


def _organisation(request) -> Organisation:
    """The organisation chosen in the session when the user may see its box office, else their first."""
    chosen = Organisation.objects.filter(pk=request.session.get(SESSION_KEY)).first()
    if chosen and _sees(request.user, chosen):
        return chosen
    organisation = selectors.organisations_of(request.user, *ROLES).order_by("name").first()
    if organisation is None:
        raise PermissionDenied
    return organisation


def _station(request, pk) -> Station:
    station = get_object_or_404(Station.objects.select_related("organisation"), pk=pk)
    require_member(request.user, station.organisation, *ROLES)
    return station


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def stations(request):
    organisation = _organisation(request)
    if request.method == "POST":
        require_manager(request.user, organisation)
    form = StationForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            station, raw = counter.create_station(
                actor=request.user, organisation=organisation, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            created, form = {"station": station, "token": raw}, StationForm()
    found = list(box_office.stations(organisation))
    context = {
        "organisation": organisation,
        "stations": found,
        "form": form,
        "created": created,
        "manager": can_manage(request.user, organisation),
        "conflicts": sum(station.conflicts for station in found),
    }
    return render(request, "ticketing/backoffice/box_office/stations.html", context)


@require_POST
@login_required
def station_revoke(request, pk):
    station = _station(request, pk)
    counter.revoke_station(actor=request.user, station=station)
    messages.success(
        request,
        _("The station “%(name)s” is revoked: it can no longer sell or sync.") % {"name": station.name},
    )
    return redirect("ticketing:box_office")


@login_required
def station_detail(request, pk):
    station = _station(request, pk)
    sessions = list(station.cash_sessions.select_related("opened_by", "closed_by")[:10])
    current = next((session for session in sessions if session.closed_at is None), None)
    page = Paginator(box_office.station_sales(station), 50).get_page(request.GET.get("page"))
    for sale in page:
        sale.void = box_office.is_void(sale, current)
    context = {
        "station": station,
        "organisation": station.organisation,
        "manager": can_manage(request.user, station.organisation),
        "current": current,
        "sessions": box_office.sessions_cash(station, sessions),
        "page": page,
        "days": box_office.report_days(station),
        "open_form": CashOpenForm(),
        "close_form": CashCloseForm(),
    }
    return render(request, "ticketing/backoffice/box_office/station.html", context)


@require_POST
@login_required
def cash_open(request, pk):
    station = _station(request, pk)
    form = CashOpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the float: the cash put in the drawer, 0 or more."))
        return redirect("ticketing:station", station.pk)
    try:
        services.open_cash_session(
            actor=request.user, station=station, opening_float=form.cleaned_data["opening_float"]
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The cash session is open."))
    return redirect("ticketing:station", station.pk)


@require_POST
@login_required
def cash_close(request, pk):
    session = get_object_or_404(CashSession.objects.select_related("station__organisation"), pk=pk)
    require_member(request.user, session.station.organisation, *ROLES)
    form = CashCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the cash counted in the drawer, 0 or more."))
        return redirect("ticketing:station", session.station_id)
    currency = session.station.organisation.currency
    try:
        session = services.close_cash_session(actor=request.user, session=session, **form.cleaned_data)
    except ValidationError as error:
        _errors(request, error)
    else:
        cash = box_office.session_cash(session)
        if cash.difference:
            messages.warning(
                request,
                _("The cash session is closed with a difference of %(difference)s (expected %(expected)s).")
                % {
                    "difference": format_amount(cash.difference, currency),
                    "expected": format_amount(cash.expected, currency),
                },
            )
        else:
            messages.success(request, _("The cash session is closed: the cash counted is what was expected."))
    return redirect("ticketing:station", session.station_id)


@require_POST
@login_required
def sale_refund(request, pk):
    sale = get_object_or_404(CounterSale.objects.select_related("station__organisation"), pk=pk)
    require_member(request.user, sale.station.organisation, *ROLES)
    form = CounterRefundForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the money is given back."))
    else:
        try:
            sale = services.refund_counter_sale(actor=request.user, sale=sale, note=form.cleaned_data["note"])
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(
                request,
                _("%(amount)s given back: its tickets are void and their seats on sale again.")
                % {"amount": format_amount(sale.order.total, sale.order.currency)},
            )
    return redirect("ticketing:station", sale.station_id)


@login_required
def conflicts(request):
    organisation = _organisation(request)
    context = {
        "organisation": organisation,
        "conflicts": box_office.conflicts(organisation),
        "manager": can_manage(request.user, organisation),
        "form": SettleForm(),
    }
    return render(request, "ticketing/backoffice/box_office/conflicts.html", context)


@require_POST
@login_required
def conflict_settle(request, pk):
    sale = get_object_or_404(CounterSale.objects.select_related("station__organisation"), pk=pk)
    require_member(request.user, sale.station.organisation, *ROLES)
    form = SettleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how the conflict is settled."))
        return redirect("ticketing:box_office_conflicts")
    accept = form.cleaned_data["decision"] == "accept"
    try:
        counter.settle_conflict(actor=request.user, sale=sale, accept=accept, note=form.cleaned_data["note"])
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("The sale is accepted over capacity: its tickets are valid.")
            if accept
            else _("The sale is recorded as given back: it issues no ticket."),
        )
    return redirect("ticketing:box_office_conflicts")


def _report(request, pk, day: str):
    station = _station(request, pk)
    try:
        day = date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    return box_office.z_report(station, day)


@login_required
def z_report(request, pk, day):
    report = _report(request, pk, day)
    context = {"report": report, "organisation": report.station.organisation}
    return render(request, "ticketing/backoffice/box_office/z_report.html", context)


@login_required
def z_report_xlsx(request, pk, day):
    report = _report(request, pk, day)
    response = HttpResponse(
        exports.z_report_xlsx(report),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = slugify(report.station.name) or "station"
    response["Content-Disposition"] = f'attachment; filename="z-report-{name}-{report.day:%Y-%m-%d}.xlsx"'
    return response
