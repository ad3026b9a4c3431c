"""The emergency sheet (P7): every member of an organisation reads and prints it; its admins keep the
contacts on it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hub.forms import add_service_errors

from .. import emergency, selectors
from ..forms import EmergencyContactForm
from ..models import EmergencyContact, Organisation
from ..permissions import can_manage, require_manager
from ..services import emergency as services
from .seller import SESSION_KEY, current_organisation


def _member_organisation(request) -> Organisation:
    """The organisation chosen in the session if the user belongs to it, else their first one."""
    belongs = selectors.organisations_of(request.user)
    chosen = request.session.get(SESSION_KEY)
    organisation = (chosen and belongs.filter(pk=chosen).first()) or belongs.first()
    if organisation is None:
        raise PermissionDenied
    return organisation


@login_required
def sheet(request):
    organisation = _member_organisation(request)
    venue = request.GET.get("venue", "")
    if venue and venue not in emergency.venues(organisation):
        raise Http404
    return render(
        request,
        "ticketing/backoffice/emergency_sheet.html",
        {
            "sheet": emergency.sheet(organisation, venue),
            "can_edit": can_manage(request.user, organisation),
            "printed_at": timezone.now(),
        },
    )


def _contacts_page(request, organisation, form, contact=None):
    return render(
        request,
        "ticketing/backoffice/emergency_contacts.html",
        {
            "organisation": organisation,
            "contacts": organisation.emergency_contacts.all(),
            "form": form,
            "contact": contact,
        },
    )


def _venues(organisation, contact=None) -> list[str]:
    names = emergency.venues(organisation)
    return names + [contact.venue] if contact and contact.venue and contact.venue not in names else names


@login_required
def contacts(request):
    organisation = current_organisation(request)
    form = EmergencyContactForm(request.POST or None, venues=_venues(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_emergency_contact(
                actor=request.user, organisation=organisation, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The contact is on the emergency sheet."))
            return redirect("ticketing:emergency_contacts")
    return _contacts_page(request, organisation, form)


def _managed_contact(request, pk) -> EmergencyContact:
    contact = get_object_or_404(EmergencyContact.objects.select_related("organisation"), pk=pk)
    require_manager(request.user, contact.organisation)
    return contact


@login_required
def contact_edit(request, pk):
    contact = _managed_contact(request, pk)
    form = EmergencyContactForm(
        request.POST or None,
        initial=model_to_dict(contact, fields=services.CONTACT_FIELDS),
        venues=_venues(contact.organisation, contact),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_emergency_contact(actor=request.user, contact=contact, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The contact is saved."))
            return redirect("ticketing:emergency_contacts")
    return _contacts_page(request, contact.organisation, form, contact)


@require_POST
@login_required
def contact_move(request, pk):
    contact = _managed_contact(request, pk)
    services.move_emergency_contact(actor=request.user, contact=contact, up=request.POST.get("to") == "up")
    return redirect("ticketing:emergency_contacts")


@require_POST
@login_required
def contact_remove(request, pk):
    contact = _managed_contact(request, pk)
    services.remove_emergency_contact(actor=request.user, contact=contact)
    messages.success(request, _("%(name)s is no longer on the emergency sheet.") % {"name": contact.name})
    return redirect("ticketing:emergency_contacts")
