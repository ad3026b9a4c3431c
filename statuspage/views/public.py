"""Public status pages (served ready-made from the snapshot), feeds, the Statuspage v2 API, subscriptions."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_supported_language_variant
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.csrf import csrf_exempt

from hub import ratelimit
from hub.i18n import LANGUAGE_CODES, current_language
from hub.responses import ready_made

from .. import presentation, selectors, services, snapshot
from ..forms.public import PreferencesForm, SmsCodeForm, SubscribeForm
from ..models import Incident, Subscriber, SubscriptionRequest


def status_page(request):
    """No database access on the way (S1)."""
    return ready_made(request, snapshot.page(current_language()), "text/html; charset=utf-8")


def incident_page(request, code):
    language = current_language()
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
        return snapshot.incident_data(selectors.incident(code))
    except (Incident.DoesNotExist, DatabaseError) as exc:
        raise Http404 from exc


def _document_language(request) -> str:
    """``?lang=``, else the first language of the Accept-Language header that the page speaks, else French
    (LocaleMiddleware says ``Vary: Accept-Language`` on these paths without a language prefix)."""
    asked = request.GET.get("lang", "")
    if asked in LANGUAGE_CODES:
        return asked
    for tag, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        try:
            return get_supported_language_variant(tag)[:2]
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def api_document(request, document):
    if document not in snapshot.JSON_DOCUMENTS:
        raise Http404
    language = _document_language(request)
    response = ready_made(request, snapshot.json_document(document, language), "application/json")
    response["Access-Control-Allow-Origin"] = "*"  # status widgets on other sites read it
    response["Cache-Control"] = "public, max-age=5"
    return response


class IncidentFeed(Feed):
    description_template = "statuspage/feed_item.html"

    def title(self):
        return _("%(page)s status — incident history") % {"page": settings.STATUS_PAGE_NAME}

    def link(self):
        return settings.SITE_URL + f"/{current_language()}/status/"

    def description(self):
        return _("Incidents and maintenance of %(page)s.") % {"page": settings.STATUS_PAGE_NAME}

    def items(self):
        data, _fresh = snapshot.current_data()
        return [presentation.incident_view(i, data, current_language()) for i in data["incidents"][:50]]

    def item_title(self, item):
        return f"{item['name']} — {item['status_label']}"

    def item_link(self, item):
        return snapshot.incident_url(item["code"], current_language())

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
    """The same answer whether or not the address is subscribed already (see ``services.subscribe``)."""
    form = SubscribeForm(request.POST or None, initial={"language": current_language()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pending = services.subscribe(
                channel=data["channel"],
                address=data["address"],
                language=data["language"],
                components=data["components"],
                ip=ratelimit.client_ip(request),
            )
        except services.TooManySubscriptions:
            form.add_error(None, _("Too many subscriptions from your address. Please try again in an hour."))
        except ValidationError as error:  # SmsRefused included: the SMS guard's message, translated
            form.add_error("address", error.messages)
        else:
            if pending.channel == Subscriber.Channel.SMS:
                return redirect("statuspage:confirm_sms", pending.token)
            return render(request, "statuspage/subscribed.html", {"pending": pending})
    return render(request, "statuspage/subscribe.html", {"form": form})


def _subscription_request(token: str):
    try:
        return selectors.subscription_request(token)
    except SubscriptionRequest.DoesNotExist as exc:
        raise Http404 from exc


@csrf_exempt  # the token in the URL is the credential; a webhook's owner may confirm with a bare POST
def confirm(request, token):
    """The link emailed, or posted to the webhook: a GET (a mail scanner, a link preview) changes nothing."""
    pending = _subscription_request(token)
    if pending.channel == Subscriber.Channel.SMS:
        raise Http404
    if request.method == "POST":
        subscriber = services.confirm(pending=pending)
        return redirect("statuspage:preferences", subscriber.token)
    return render(request, "statuspage/confirm.html", {"pending": pending})


def confirm_sms(request, token):
    pending = _subscription_request(token)
    if pending.channel != Subscriber.Channel.SMS:
        raise Http404
    form = SmsCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        subscriber = services.confirm_sms(pending=pending, code=form.cleaned_data["code"])
        if subscriber is not None:
            return redirect("statuspage:preferences", subscriber.token)
        form.add_error("code", _("This code is not right or has expired."))
    return render(request, "statuspage/confirm_sms.html", {"pending": pending, "form": form})


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
