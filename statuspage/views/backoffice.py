"""Back office: the incident pop-up every staff page shows (S4), and the operators' screens."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hub.forms import add_service_errors
from hub.i18n import current_language
from hub.models import Role
from hub.permissions import role_required

from .. import presentation, selectors, services
from ..forms.backoffice import (
    IncidentForm,
    MaintenanceForm,
    PostmortemForm,
    ResolveForm,
    TranslationForm,
    UpdateForm,
)
from ..models import Component, ComponentStatus, Incident


def _notice_fragment(request, shown: list[dict]):
    digest = hashlib.sha256(
        repr([(n["incident"].code, n["latest"].code, n["popup"]) for n in shown]).encode()
    ).hexdigest()[:16]
    if request.GET.get("seen") == digest:
        return HttpResponse(status=204)  # htmx leaves the page as it is (an open pop-up stays as read)
    return render(
        request,
        "statuspage/backoffice/notice.html",
        {"notices": shown, "digest": digest, "poll_seconds": settings.STATUS_NOTICE_POLL_SECONDS},
    )


@login_required
def notice(request):
    """The back-office slot on every staff page; the fragment polls itself and changes only when news come."""
    return _notice_fragment(request, selectors.notices(request.user))


@require_POST
@login_required
def dismiss(request, code):
    services.dismiss_notice(user=request.user, incident=get_object_or_404(Incident, code=code))
    return _notice_fragment(request, selectors.notices(request.user))


# --- Operators ----------------------------------------------------------------------------------------


@role_required(Role.OPERATOR)
def dashboard(request):
    return render(
        request,
        "statuspage/backoffice/dashboard.html",
        {
            "components": selectors.components(),
            "statuses": ComponentStatus.choices,
            "open": selectors.unresolved(),
            "recent": selectors.recently_closed(),
            "subscribers": selectors.active_subscribers().count(),
        },
    )


@require_POST
@role_required(Role.OPERATOR)
def component_status(request, code):
    component = get_object_or_404(Component, code=code)
    try:
        services.set_component_status(
            actor=request.user, component=component, status=request.POST.get("status", "")
        )
    except ValidationError as error:
        return HttpResponse(error.messages[0], status=400)
    if request.htmx:
        return render(
            request,
            "statuspage/backoffice/component_row.html",
            {"component": component, "statuses": ComponentStatus.choices},
        )
    return redirect("statuspage:dashboard")


@role_required(Role.OPERATOR)
def incident_new(request):
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incident = services.create_incident(
                actor=request.user,
                name=data["name"],
                status=data["status"],
                impact=data["impact"],
                body=data["body"],
                components=form.affected(),
                language=data["language"],
                playbooks=data["playbooks"],
                notify=data["notify"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The incident is public."))
            return redirect("statuspage:incident_detail", incident.code)
    return render(request, "statuspage/backoffice/incident_form.html", {"form": form})


@role_required(Role.OPERATOR)
def maintenance_new(request):
    form = MaintenanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incident = services.schedule_maintenance(
                actor=request.user,
                name=data["name"],
                body=data["body"],
                scheduled_for=data["scheduled_for"],
                scheduled_until=data["scheduled_until"],
                components=data["components"],
                language=data["language"],
                notify=data["notify"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The maintenance is scheduled."))
            return redirect("statuspage:incident_detail", incident.code)
    return render(request, "statuspage/backoffice/maintenance_form.html", {"form": form})


@role_required(Role.OPERATOR)
def incident_detail(request, code):
    try:
        incident = selectors.incident(code)
    except Incident.DoesNotExist as exc:
        raise Http404 from exc
    action = request.POST.get("action")
    forms = {
        "update": UpdateForm(
            request.POST if action == "update" else None, incident=incident, auto_id="update-%s"
        ),
        "resolve": ResolveForm(
            request.POST if action == "resolve" else None, incident=incident, auto_id="resolve-%s"
        ),
        "translate": TranslationForm(
            request.POST if action == "translate" else None,
            initial={
                "language": next(code for code, _name in settings.LANGUAGES if code != incident.language)
            },
            auto_id="translate-%s",
        ),
        "postmortem": PostmortemForm(
            request.POST if action == "postmortem" else None,
            initial={"body": incident.postmortem, "publish": bool(incident.postmortem_published_at)},
            auto_id="postmortem-%s",
        ),
    }
    if request.method == "POST":
        try:
            if action == "update" and forms["update"].is_valid():
                data = forms["update"].cleaned_data
                services.post_update(
                    actor=request.user,
                    incident=incident,
                    status=data["status"],
                    body=data["body"],
                    components=forms["update"].affected(),
                    language=data["language"],
                    notify=data["notify"],
                )
                messages.success(request, _("The update is public."))
                return redirect("statuspage:incident_detail", code)
            if action == "resolve" and forms["resolve"].is_valid():
                data = forms["resolve"].cleaned_data
                services.resolve_incident(
                    actor=request.user,
                    incident=incident,
                    body=data["body"],
                    language=data["language"],
                    components=forms["resolve"].affected(),
                    notify=data["notify"],
                )
                messages.success(request, _("The incident is resolved."))
                return redirect("statuspage:incident_detail", code)
            if action == "translate" and forms["translate"].is_valid():
                data = forms["translate"].cleaned_data
                services.translate(
                    actor=request.user,
                    incident=incident,
                    language=data["language"],
                    name=data["name"],
                    update=incident.updates.first(),
                    body=data["body"],
                )
                messages.success(request, _("The translation is public."))
                return redirect("statuspage:incident_detail", code)
            if action == "postmortem" and forms["postmortem"].is_valid():
                data = forms["postmortem"].cleaned_data
                services.set_postmortem(
                    actor=request.user, incident=incident, body=data["body"], publish=data["publish"]
                )
                messages.success(request, _("The postmortem is saved."))
                return redirect("statuspage:incident_detail", code)
            if action == "playbooks":
                offered = selectors.playbooks_for(incident)
                chosen = offered.filter(pk__in=request.POST.getlist("playbooks"))
                services.set_playbooks(actor=request.user, incident=incident, playbooks=list(chosen))
                messages.success(request, _("The playbooks are attached."))
                return redirect("statuspage:incident_detail", code)
        except ValidationError as error:
            add_service_errors(forms.get(action) or forms["update"], error)
    return render(
        request,
        "statuspage/backoffice/incident_detail.html",
        {
            "incident": incident,
            "forms": forms,
            "playbooks": [
                {"pk": p.pk, "title": p.title_in(current_language())}
                for p in selectors.playbooks_for(incident)
            ],
            "attached": set(incident.playbooks.values_list("pk", flat=True)),
        },
    )


@require_POST
@role_required(Role.OPERATOR)
def preview(request):
    """How the public page will show what is being typed (htmx, before publishing)."""
    form = IncidentForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    language = data.get("language") or "fr"
    now = timezone.now()
    affected = form.affected()
    fake = {
        "id": "preview",
        "kind": "incident",
        "name": {language: data.get("name") or _("(no title yet)")},
        "status": data.get("status") or "investigating",
        "impact": data.get("impact") or "minor",
        "created_at": now.isoformat(),
        "resolved_at": None,
        "scheduled_for": None,
        "scheduled_until": None,
        "components": [{"code": c.code, "status": s} for c, s in affected.items()],
        "updates": [
            {
                "status": data.get("status") or "investigating",
                "body": {language: data.get("body") or "…"},
                "created_at": now.isoformat(),
            }
        ],
        "playbooks": [p.key for p in data.get("playbooks") or []],
        "postmortem": "",
    }
    data_for_view = {
        "components": [{"id": c.code, "name": {language: c.name}} for c in selectors.components()],
        "playbooks": {
            p.key: {"title": {language: p.title_in(language)}, "body": {language: p.body_in(language)}}
            for p in selectors.playbooks()
        },
    }
    with translation.override(language):
        return render(
            request,
            "statuspage/incident_card.html",
            {"incident": presentation.incident_view(fake, data_for_view, language), "preview": True},
        )


@role_required(Role.OPERATOR)
def subscribers(request):
    found, counts = selectors.subscribers_overview()
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(request, "statuspage/backoffice/subscribers.html", {"page": page, "counts": counts})
