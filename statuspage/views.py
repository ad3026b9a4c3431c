"""Public status pages (served ready-made from the snapshot), feeds, the Statuspage v2 API, subscriptions."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from hub import ratelimit
from hub.responses import ready_made

from . import presentation, services, snapshot
from .forms import PreferencesForm, SmsCodeForm, SubscribeForm
from .models import Incident, Subscriber

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def _language() -> str:
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return language if language in LANGUAGES else settings.LANGUAGE_CODE


def status_page(request):
    """No database access on the way (S1)."""
    return ready_made(request, snapshot.page(_language()), "text/html; charset=utf-8")


def incident_page(request, code):
    language = _language()
    data, _fresh = snapshot.current_data()
    found = next((i for i in data["incidents"] if i["id"] == code), None)
    if found is None:
        found = _older_incident(code)  # beyond the snapshot's six months
    return render(
        request,
        "statuspage/incident.html",
        {"incident": presentation.incident_view(found, data, language), "generated_at": data["generated_at"]},
    )


def _older_incident(code: str) -> dict:
    try:
        incident = get_object_or_404(
            Incident.objects.prefetch_related("affected__component", "playbooks", "updates"), code=code
        )
    except DatabaseError as exc:
        raise Http404 from exc
    return snapshot._incident(incident)


def api_document(request, document):
    language = request.GET.get("lang", "fr")
    if language not in LANGUAGES:
        language = "fr"
    if document not in snapshot.JSON_DOCUMENTS:
        raise Http404
    response = ready_made(request, snapshot.json_document(document, language), "application/json")
    response["Access-Control-Allow-Origin"] = "*"  # status widgets on other sites read it
    response["Cache-Control"] = "public, max-age=5"
    return response


class IncidentFeed(Feed):
    description_template = "statuspage/feed_item.html"

    def title(self):
        return _("%(page)s status — incident history") % {"page": settings.STATUS_PAGE_NAME}

    def link(self):
        return settings.SITE_URL + f"/{_language()}/status/"

    def description(self):
        return _("Incidents and maintenance of %(page)s.") % {"page": settings.STATUS_PAGE_NAME}

    def items(self):
        data, _fresh = snapshot.current_data()
        return [presentation.incident_view(i, data, _language()) for i in data["incidents"][:50]]

    def item_title(self, item):
        return f"{item['name']} — {item['status_label']}"

    def item_link(self, item):
        return snapshot.incident_url(item["code"], _language())

    def item_guid(self, item):
        return f"guichet-incident-{item['code']}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item["created_at"]

    def item_updateddate(self, item):
        return item["updates"][0]["created_at"] if item["updates"] else item["created_at"]


class AtomIncidentFeed(IncidentFeed):
    feed_type = Atom1Feed
    subtitle = IncidentFeed.description


# --- Subscriptions (S3) --------------------------------------------------------------------------------


def subscribe(request):
    form = SubscribeForm(request.POST or None, initial={"language": _language()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            subscriber = services.subscribe(
                channel=data["channel"],
                address=data["address"],
                language=data["language"],
                components=data["components"],
                ip=ratelimit.client_ip(request),
            )
        except services.TooManySubscriptions:
            form.add_error(None, _("Too many subscriptions from your address. Please try again in an hour."))
        except ValidationError as error:
            form.add_error("address", error.messages[0])
        else:
            if subscriber.channel == Subscriber.Channel.SMS:
                return redirect("statuspage:confirm_sms", subscriber.token)
            return render(request, "statuspage/subscribed.html", {"subscriber": subscriber})
    return render(request, "statuspage/subscribe.html", {"form": form})


def confirm(request, token):
    subscriber = get_object_or_404(Subscriber, token=token, unsubscribed_at__isnull=True)
    if request.method == "POST":
        services.confirm(subscriber=subscriber)
        return redirect("statuspage:preferences", token)
    return render(request, "statuspage/confirm.html", {"subscriber": subscriber})


def confirm_sms(request, token):
    subscriber = get_object_or_404(
        Subscriber, token=token, channel=Subscriber.Channel.SMS, unsubscribed_at__isnull=True
    )
    form = SmsCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.confirm_sms(subscriber=subscriber, code=form.cleaned_data["code"]):
            return redirect("statuspage:preferences", token)
        form.add_error("code", _("This code is not right or has expired."))
    return render(request, "statuspage/confirm_sms.html", {"subscriber": subscriber, "form": form})


def preferences(request, token):
    subscriber = get_object_or_404(Subscriber, token=token, unsubscribed_at__isnull=True)
    form = PreferencesForm(request.POST or None, subscriber=subscriber)
    saved = False
    if request.method == "POST" and form.is_valid():
        services.update_preferences(
            subscriber=subscriber,
            language=form.cleaned_data["language"],
            components=form.cleaned_data["components"],
        )
        saved = True
    return render(
        request, "statuspage/preferences.html", {"subscriber": subscriber, "form": form, "saved": saved}
    )


@csrf_exempt
def unsubscribe(request, token):
    """One click: the page posts by itself (and mail clients post List-Unsubscribe=One-Click here)."""
    subscriber = Subscriber.objects.filter(token=token).first()
    if subscriber is None:
        raise Http404
    if request.method == "POST":
        services.unsubscribe(subscriber=subscriber)
        return render(request, "statuspage/unsubscribed.html", {"subscriber": subscriber})
    return render(request, "statuspage/unsubscribe.html", {"subscriber": subscriber})
