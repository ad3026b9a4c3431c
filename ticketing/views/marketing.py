"""Marketing tools in the seller back office: the kiosks customers buy tickets at (P5), each paired with a
device by a one-time code, and the posters that send a queue to online purchase (P4)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hub.forms import add_service_errors

from .. import box_office_selectors, selectors
from ..kiosk_forms import KioskForm
from ..models import Station
from ..permissions import require_manager
from ..services import kiosks
from .seller import current_organisation


def _page(request, organisation, form, created=None):
    context = {
        "organisation": organisation,
        "kiosks": box_office_selectors.kiosks(organisation),
        "events": selectors.public_events(organisation=organisation),
        "form": form,
        "created": created,
        "pair_url": request.build_absolute_uri(reverse("ticketing:kiosk_pair")),
        "now": timezone.now(),
    }
    return render(request, "ticketing/backoffice/marketing.html", context)


def _code(kiosk: Station, code: str) -> dict:
    return {"kiosk": kiosk, "code": kiosks.format_code(code)}


@login_required
def tools(request):
    organisation = current_organisation(request)  # its seller admins only
    form = KioskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            kiosk = kiosks.create_kiosk(
                actor=request.user, organisation=organisation, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            code = kiosks.issue_pairing_code(actor=request.user, kiosk=kiosk)
            return _page(request, organisation, KioskForm(), _code(kiosk, code))
    return _page(request, organisation, form)


def _kiosk(request, pk) -> Station:
    kiosk = get_object_or_404(Station.objects.select_related("organisation"), pk=pk, kind=Station.Kind.KIOSK)
    require_manager(request.user, kiosk.organisation)
    return kiosk


@require_POST
@login_required
def kiosk_code(request, pk):
    """A new pairing code for the kiosk (shown once); the previous one stops working."""
    kiosk = _kiosk(request, pk)
    try:
        code = kiosks.issue_pairing_code(actor=request.user, kiosk=kiosk)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("ticketing:marketing")
    return _page(request, kiosk.organisation, KioskForm(), _code(kiosk, code))


@require_POST
@login_required
def kiosk_revoke(request, pk):
    kiosk = _kiosk(request, pk)
    kiosks.revoke_kiosk(actor=request.user, kiosk=kiosk)
    messages.success(
        request, _("The kiosk “%(name)s” is revoked: its device no longer sells.") % {"name": kiosk.name}
    )
    return redirect("ticketing:marketing")
