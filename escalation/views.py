"""Support-desk pages: the request form and what follows, the agent's request page, the on-call
acknowledgement link, attachments."""

from datetime import timedelta
from urllib.parse import urlencode

from anymail.webhooks.mailgun import MailgunInboundWebhookView
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpcenter.selectors import live_articles
from hub import ratelimit
from hub.forms import add_service_errors
from hub.i18n import current_language
from hub.models import Role
from hub.permissions import role_required

from . import selectors, uploads
from .attachments import check_files, sort_files
from .forms import (
    AssignForm,
    EscalateForm,
    IncidentLinkForm,
    NoteForm,
    RatingForm,
    ReplyForm,
    RequesterMessageForm,
    RequestForm,
    ShiftForm,
    StatusForm,
    UrgencyForm,
)
from .models import Page, SalesChannel, SupportRequest
from .services import deflections, desk, escalations, incidents, paging, requester
from .services import rota as rota_services
from .services.common import STAFF_ROLES
from .services.requests import submit_request

SENT_SALT = "escalation.request-sent"

INLINE_TYPES = {"image/png", "image/jpeg", "image/webp", "image/gif", "video/mp4", "video/webm"}


@role_required(*STAFF_ROLES)
def agent_queue(request):
    """The agents' queue (C7, C9): urgent first, then by SLA due time; filters kept in the page links."""
    filters = {name: request.GET.get(name, "") for name in selectors.QUEUE_FILTERS}
    filters["status"] = filters["status"] or "active"
    page = Paginator(selectors.queue(**filters, user=request.user), 25).get_page(request.GET.get("page"))
    page.object_list = selectors.queue_rows(page.object_list)
    return render(
        request,
        "escalation/agent_queue.html",
        {
            "page": page,
            "filters": filters,
            "query": urlencode({k: v for k, v in filters.items() if v}),
            "statuses": SupportRequest.Status.choices,
            "channels": SalesChannel.choices,
            "warning_at": timezone.now() + timedelta(minutes=settings.SUPPORT_SLA_WARNING_MINUTES),
            "now": timezone.now(),
        },
    )


ACTIONS = {
    "reply": (ReplyForm, lambda actor, pk, data: desk.reply(actor=actor, request_id=pk, **data)),
    "note": (NoteForm, lambda actor, pk, data: desk.add_note(actor=actor, request_id=pk, **data)),
    "status": (StatusForm, lambda actor, pk, data: desk.set_status(actor=actor, request_id=pk, **data)),
    "urgency": (
        UrgencyForm,
        lambda actor, pk, data: desk.override_urgency(actor=actor, request_id=pk, **data),
    ),
    "assign": (
        AssignForm,
        lambda actor, pk, data: desk.assign(actor=actor, request_id=pk, **{"assignee_id": data["assignee"]}),
    ),
    "escalate": (
        EscalateForm,
        lambda actor, pk, data: escalations.escalate(actor=actor, request_id=pk, **data),
    ),
    "incident": (
        IncidentLinkForm,
        lambda actor, pk, data: incidents.link_incident(actor=actor, request_id=pk, code=data["incident"]),
    ),
    "hand_back": (
        NoteForm,
        lambda actor, pk, data: escalations.hand_back(actor=actor, request_id=pk, note=data["body"]),
    ),
}


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def agent_request(request, reference):
    support_request = selectors.request_for_staff(reference)
    if support_request is None:
        raise Http404
    current = {  # the side forms start from the request as it is, not from their first choice
        StatusForm: {"status": support_request.status},
        AssignForm: {"assignee": support_request.assignee_id},
        UrgencyForm: {"urgent": "1" if support_request.urgent else "0"},
    }
    choices = {
        ReplyForm: {"articles": selectors.reply_articles(support_request)},
        AssignForm: {"agents": selectors.support_staff()},
        IncidentLinkForm: {"incidents": selectors.linkable_incidents()},
    }
    forms = {
        name: form_class(initial=current.get(form_class), **choices.get(form_class, {}))
        for name, (form_class, _action) in ACTIONS.items()
    }
    status = 200
    if request.method == "POST":
        name = request.POST.get("action", "")
        if name == "claim":
            desk.claim(actor=request.user, request_id=support_request.pk)
            return redirect("escalation:agent_request", reference)
        if name not in ACTIONS:
            return HttpResponseBadRequest("unknown action")
        form_class, action = ACTIONS[name]
        form = form_class(request.POST, **choices.get(form_class, {}))
        forms[name] = form
        if form.is_valid():
            try:
                action(request.user, support_request.pk, form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("escalation:agent_request", reference)
        status = 400
    return render(
        request,
        "escalation/agent_request.html",
        {
            "support_request": support_request,
            "customer": selectors.customer_panel(support_request),
            "forms": forms,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def acknowledge(request, token):
    """The link in a page: GET shows what is acknowledged, the button POSTs (a link preview never acks)."""
    page = Page.objects.select_related("request").filter(token=token).first()
    if page is None:
        raise Http404
    done = page.acknowledged_at is not None
    if request.method == "POST" and not done:
        paging.acknowledge(page_id=page.pk, via="link")
        done = True
    return render(request, "escalation/acknowledge.html", {"page": page, "done": done})


def attachment(request, pk):
    """A request's file, for its organisation and support staff only; never rendered as a page."""
    found = selectors.attachment_for(request.user, pk)
    if found is None:
        raise Http404
    response = FileResponse(
        found.file.open("rb"),
        content_type=found.content_type,
        as_attachment=found.content_type not in INLINE_TYPES,
        filename=found.name,
    )
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; media-src 'self'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _render_form(request, form, kept, status=200):
    return render(
        request,
        "escalation/request_form.html",
        {"form": form, "kept": kept, "member": "organisation" in form.fields},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def request_new(request):
    """C2: organisation staff see their account fixed; anyone else gives an email (rate-limited)."""
    organisations = selectors.requester_organisations(request.user)
    if request.method == "GET":
        initial = {"email": request.user.email} if request.user.is_authenticated else {}
        return _render_form(
            request, RequestForm(organisations=organisations, user=request.user, initial=initial), []
        )
    form = RequestForm(request.POST, request.FILES, organisations=organisations, user=request.user)
    kept = uploads.unsign(request.POST.get("kept", ""))
    new_files, problems = sort_files(request.FILES.getlist("files"), already=len(kept))
    kept += uploads.keep(new_files)  # kept even when the form has to be shown again
    valid = form.is_valid()
    for problem in problems:
        form.add_error("files", problem)
    if (
        valid
        and not problems
        and not organisations
        and not ratelimit.hit(
            "support-public",
            ratelimit.client_ip(request) or "-",
            limit=settings.SUPPORT_PUBLIC_REQUESTS_PER_HOUR,
            window=3600,
        )
    ):
        form.add_error(None, _("Too many requests from your connection: please call the support line."))
    if form.errors:
        form.data = form.data.copy()
        form.data["kept"] = uploads.sign(kept)
        return _render_form(request, form, kept, status=400)
    try:
        support_request = submit_request(
            requester=request.user if request.user.is_authenticated else None,
            organisation_id=form.cleaned_data.get("organisation"),
            draft=form.draft(language=current_language(), files=uploads.read(kept)),
        )
    except ValidationError as error:
        add_service_errors(form, error)
        form.data = form.data.copy()
        form.data["kept"] = uploads.sign(kept)
        return _render_form(request, form, kept, status=400)
    uploads.discard(kept)
    deflections.request_sent(session=request.session)
    return redirect("escalation:request_sent", signing.dumps(support_request.reference, salt=SENT_SALT))


def request_sent(request, token):
    try:
        reference = signing.loads(token, salt=SENT_SALT, max_age=7 * 24 * 3600)
    except signing.BadSignature:
        raise Http404 from None
    support_request = get_object_or_404(SupportRequest, reference=reference)
    return render(
        request,
        "escalation/request_sent.html",
        {"support_request": support_request, "steps": selectors.next_steps(support_request)},
    )


@require_GET
def request_deflection(request):
    """The htmx panel beside the form: matching articles and open incidents, while the request is typed."""
    question = f"{request.GET.get('subject', '')} {request.GET.get('body', '')}"[:2000]
    channels = [c for c in request.GET.getlist("channels") if c in SalesChannel.values]
    found = selectors.deflection(question, current_language(), channels)
    return render(request, "escalation/deflection.html", {**found, "language": current_language()})


@require_GET
def deflection_article(request, key):
    """An article opened from the form: counted as a deflection unless a request follows."""
    article = live_articles(current_language()).filter(key=key).first()
    if article is None:
        raise Http404
    deflections.article_opened(session=request.session, language=current_language(), article_key=key)
    return redirect(article.url)


def escalation_notice(request):
    """The back-office slot (C5): an account manager's unseen escalations, as a pop-up; polls itself."""
    if not request.user.is_authenticated:
        return HttpResponse("")
    return render(
        request,
        "escalation/escalation_notice.html",
        {
            "escalations": selectors.unseen_escalations(request.user),
            "poll_seconds": settings.STATUS_NOTICE_POLL_SECONDS,
        },
    )


@require_POST
@login_required
def escalations_seen(request):
    escalations.mark_escalations_seen(actor=request.user)
    return escalation_notice(request)


@login_required
def my_requests(request):
    page = Paginator(selectors.requests_of(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "escalation/my_requests.html", {"page": page})


REQUESTER_ACTIONS = ("message", "escalate", "close", "rate")


@login_required
@require_http_methods(["GET", "POST"])
def my_request(request, reference):
    support_request = selectors.request_for_requester(request.user, reference)
    if support_request is None:
        raise Http404
    forms = {"message": RequesterMessageForm(), "escalate": EscalateForm(), "rate": RatingForm()}
    status = 200
    if request.method == "POST":
        name = request.POST.get("action", "")
        if name not in REQUESTER_ACTIONS:
            return HttpResponseBadRequest("unknown action")
        try:
            if name == "close":
                requester.close(actor=request.user, request_id=support_request.pk)
                return redirect("escalation:my_request", reference)
            form = {"message": RequesterMessageForm, "escalate": EscalateForm, "rate": RatingForm}[name](
                request.POST, request.FILES
            )
            forms[name] = form
            if form.is_valid():
                if name == "message":
                    files = check_files(request.FILES.getlist("files"))
                    requester.add_message(
                        actor=request.user,
                        request_id=support_request.pk,
                        body=form.cleaned_data["body"],
                        files=files,
                    )
                elif name == "escalate":
                    escalations.escalate(
                        actor=request.user, request_id=support_request.pk, **form.cleaned_data
                    )
                else:
                    requester.rate(request_id=support_request.pk, **form.cleaned_data)
                return redirect("escalation:my_request", reference)
        except ValidationError as error:
            add_service_errors(forms.get(name) or forms["message"], error)
        status = 400
    return render(
        request,
        "escalation/my_request.html",
        {"support_request": support_request, "forms": forms, "steps": selectors.next_steps(support_request)},
        status=status,
    )


@csrf_exempt
def mailgun_inbound(request):
    """Replies by email (C10): anymail checks Mailgun's signature and sends ``anymail.signals.inbound``."""
    if not settings.ANYMAIL.get("MAILGUN_WEBHOOK_SIGNING_KEY"):
        raise Http404
    return MailgunInboundWebhookView.as_view()(request)


@role_required(Role.OPERATOR)
@require_http_methods(["GET", "POST"])
def rota(request):
    """Operators keep the on-call rota: who is paged for urgent requests out of hours, and their backup."""
    staff = selectors.support_staff()
    form = ShiftForm(staff=staff)
    status = 200
    if request.method == "POST" and request.POST.get("delete"):
        rota_services.delete_shift(actor=request.user, shift_id=int(request.POST["delete"]))
        return redirect("escalation:rota")
    if request.method == "POST":
        form = ShiftForm(request.POST, staff=staff)
        if form.is_valid():
            try:
                rota_services.save_shift(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("escalation:rota")
        status = 400
    return render(
        request, "escalation/rota.html", {"form": form, "shifts": selectors.shifts_ahead()}, status=status
    )


@role_required(Role.OPERATOR, Role.SUPPORT_AGENT)
def reports(request):
    return render(request, "escalation/reports.html", selectors.reports())
