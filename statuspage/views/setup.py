"""Back office: operators set the page up — components, their groups and the workaround playbooks (S1, S5,
P2). The same services run behind the operator API."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from hub.forms import add_service_errors
from hub.i18n import current_language
from hub.models import Role
from hub.permissions import role_required

from .. import selectors, services
from ..forms.setup import ComponentForm, GroupForm, PlaybookForm
from ..models import Component, ComponentGroup, Playbook


def _saved(request, form, write) -> bool:
    """On a valid POST run ``write(actor=…, **form.changes())``; a refusal of the service goes on the form."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        write(actor=request.user, **form.changes())
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


@role_required(Role.OPERATOR)
def components(request):
    return render(request, "statuspage/backoffice/components.html", selectors.setup_overview())


@role_required(Role.OPERATOR)
def component_edit(request, slug=None):
    component = get_object_or_404(Component, slug=slug) if slug else None
    form = ComponentForm(request.POST or None, instance=component)
    write = partial(services.edit_component, component=component) if component else services.create_component
    if _saved(request, form, write):
        messages.success(request, _("The component is saved; the public page shows it as it is now."))
        return redirect("statuspage:components")
    title = component.name if component else _("New component")
    return render(request, "statuspage/backoffice/setup_form.html", {"form": form, "title": title})


@role_required(Role.OPERATOR)
def group_edit(request, slug=None):
    group = get_object_or_404(ComponentGroup, slug=slug) if slug else None
    form = GroupForm(request.POST or None, instance=group)
    write = partial(services.edit_group, group=group) if group else services.create_group
    if _saved(request, form, write):
        messages.success(request, _("The group is saved."))
        return redirect("statuspage:components")
    title = group.name if group else _("New group")
    return render(request, "statuspage/backoffice/setup_form.html", {"form": form, "title": title})


@role_required(Role.OPERATOR)
def playbooks(request):
    return render(request, "statuspage/backoffice/playbooks.html", {"playbooks": selectors.every_playbook()})


@role_required(Role.OPERATOR)
def playbook_edit(request, key=None):
    playbook = get_object_or_404(Playbook, key=key) if key else None
    form = PlaybookForm(request.POST or None, instance=playbook)
    write = partial(services.edit_playbook, playbook=playbook) if playbook else services.create_playbook
    if _saved(request, form, write):
        messages.success(request, _("The playbook is saved."))
        return redirect("statuspage:playbooks")
    title = playbook.title_in(current_language()) if playbook else _("New playbook")
    return render(request, "statuspage/backoffice/setup_form.html", {"form": form, "title": title})
