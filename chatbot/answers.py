"""What the assistant says, in the user's language, from live data only: the status page (S2), the support
lines and the desk's business calendar (C1, C3), the help centre's articles. Never an invented fact.

Each answer is a list of Rasa REST messages: ``{"text": ..., "buttons": [{"title", "payload"}], "custom":
{...}}``; a button's payload is what the widget sends back when it is pressed (Rasa's ``/intent{json}``
form, read by ``dialogue``), and ``custom.links`` holds the links to show.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from escalation.selectors import support_countries, support_hours
from helpcenter.selectors import answer_candidates, contact_page_url, live_articles
from statuspage.selectors import components_by_slug, open_incidents

ANSWER_FLOOR = 0.35  # from this suggestion score the first article is answered (top-1 right 94 % of the time
# in cross-validation on the training questions); under it, offered to choose
COUNTRY_NAMES = {
    "BE": ("Belgique", "Belgien", "Belgium"),
    "CH": ("Suisse", "Schweiz", "Switzerland"),
    "FR": ("France", "Frankreich", "France"),
    "UK": ("Royaume-Uni", "Vereinigtes Königreich", "United Kingdom"),
    "GB": ("Royaume-Uni", "Vereinigtes Königreich", "United Kingdom"),
}


def message(text: str, *, buttons=(), **custom) -> dict:
    answer = {"text": text}
    if buttons:
        answer["buttons"] = [{"title": title, "payload": payload} for title, payload in buttons]
    if custom:
        answer["custom"] = custom
    return answer


def absolute(path: str) -> str:
    return path if path.startswith("http") else settings.SITE_URL + path


def link(title: str, url: str) -> dict:
    return {"title": title, "url": absolute(url)}


def country_name(country: str, language: str) -> str:
    names = COUNTRY_NAMES.get(country.upper())
    return names[("fr", "de", "en").index(language)] if names else country


# --- status (S2) -----------------------------------------------------------------------------------


def status(language: str, slugs=()) -> list[dict]:
    """Open incidents and maintenance in progress, narrowed to the named components when there are any."""
    with translation.override(language):
        named = components_by_slug(slugs) if slugs else {}
        incidents = list(open_incidents(component_slugs=list(named) if named else None))
        page = link(_("Status page"), reverse("statuspage:page"))
        subscribe = link(_("Be told by email or SMS"), reverse("statuspage:subscribe"))
        names = ", ".join(component.name for component in named.values())
        if not incidents:
            text = (
                _("No known problem with %(names)s right now: it is operational.") % {"names": names}
                if names
                else _("All systems are operational right now.")
            )
            return [message(text, links=[page, subscribe], incidents=[])]
        answers = [
            message(
                _("Yes, there is a known problem on %(names)s:") % {"names": names}
                if names
                else _("Yes, there is a known problem right now:")
            )
        ]
        described = []
        for incident in incidents:
            components = [affected.component for affected in incident.affected.all()]
            latest = next(iter(incident.updates.all()), None)
            lines = [f"{incident.name_in(language)} ({incident.get_status_display()})"]
            if latest is not None:
                when = formats.date_format(timezone.localtime(latest.created_at), "SHORT_DATETIME_FORMAT")
                lines.append(
                    _("Latest update (%(when)s): %(text)s") % {"when": when, "text": latest.body_in(language)}
                )
            for playbook in incident.playbooks.all():
                lines.append(
                    _("What to do meanwhile: %(title)s. %(text)s")
                    % {
                        "title": playbook.title_in(language),
                        "text": playbook.body_in(language),
                    }
                )
            described.append(
                {
                    "code": incident.code,
                    "name": incident.name_in(language),
                    "components": [component.slug for component in components],
                    "url": absolute(reverse("statuspage:incident", args=[incident.code])),
                }
            )
            answers.append(
                message(
                    "\n".join(lines),
                    links=[link(_("Details"), reverse("statuspage:incident", args=[incident.code]))],
                )
            )
        answers.append(message(_("I can tell you when it is resolved."), links=[subscribe, page]))
        answers[0]["custom"] = {"incidents": described}
        return answers


# --- contact (C1, C3) ------------------------------------------------------------------------------


def ask_country(language: str) -> list[dict]:
    with translation.override(language):
        buttons = [
            (country_name(country, language), f'/contact{{"country": "{country}"}}')
            for country in support_countries()
        ]
        return [message(_("Which country are you calling from?"), buttons=buttons)]


def contact(language: str, country: str, now=None) -> list[dict]:
    """The support line for ``country``, and whether support is open now (the desk's calendar)."""
    hours = support_hours(country, now)
    with translation.override(language):
        if hours is None:
            return [message(_("Write to us through the contact page."), links=[_contact_page()])]
        values = {
            "phone": hours.phone,
            "email": hours.email,
            "country": country_name(hours.country, language),
        }
        if hours.open:
            text = (
                _(
                    "Support is open now. Call %(phone)s (%(country)s) or write to %(email)s; "
                    "a support request gets an answer the fastest."
                )
                % values
            )
        else:
            values["next"] = formats.date_format(
                timezone.localtime(hours.next_open, timezone=ZoneInfo(hours.time_zone)), "DATETIME_FORMAT"
            )
            text = (
                _(
                    "Support is closed now and opens again on %(next)s. Emergencies (check-in or sales "
                    "blocked): call %(phone)s (%(country)s). Otherwise write to %(email)s."
                )
                % values
            )
        return [
            message(
                text,
                buttons=[(_("Open a support request"), "/handoff")],
                links=[{"title": hours.phone, "url": hours.tel}, _contact_page()],
                contact={
                    "open": hours.open,
                    "channel": hours.channel,
                    "phone": hours.phone,
                    "email": hours.email,
                    "country": hours.country,
                    "next_open": hours.next_open.isoformat(),
                },
            )
        ]


def _contact_page() -> dict:
    return link(
        _("Contact page"), contact_page_url(translation.get_language()) or reverse("helpcenter:search")
    )


# --- faq ---------------------------------------------------------------------------------------------


def faq(language: str, question: str, *, sure_only: bool = False) -> list[dict]:
    """The best article's short answer and link above the floor; a choice of up to three under it; else
    say so and offer a person. ``sure_only``: the answer above the floor, or nothing."""
    candidates = answer_candidates(question, language, limit=3)
    with translation.override(language):
        if candidates and candidates[0][1] >= ANSWER_FLOOR:
            article, _score, summary = candidates[0]
            return [
                message(
                    f"{summary}",
                    article_key=article.key,
                    url=absolute(article.url),
                    links=[link(article.title, article.url)],
                )
            ]
        if sure_only:
            return []
        if candidates:
            return [
                message(
                    _("Did you mean one of these?"),
                    buttons=[
                        (article.title, f'/faq{{"article": "{article.key}"}}')
                        for article, _s, _t in candidates
                    ]
                    + [(_("None of them: talk to a person"), "/handoff")],
                )
            ]
        return [
            message(
                _("I have no article that answers this. Shall I pass it on to a person?"),
                buttons=[(_("Yes, open a support request"), "/handoff"), (_("No, thanks"), "/deny")],
            )
        ]


def related_article(language: str, question: str) -> list[dict]:
    """The article that answers ``question`` well (above the floor), offered beside a live answer."""
    candidates = answer_candidates(question, language, limit=1)
    if not candidates or candidates[0][1] < ANSWER_FLOOR:
        return []
    found, _score, _summary = candidates[0]
    with translation.override(language):
        return [
            message(
                _("In the help centre: %(title)s") % {"title": found.title},
                article_key=found.key,
                url=absolute(found.url),
                links=[link(found.title, found.url)],
            )
        ]


def article(language: str, key: str) -> list[dict]:
    """The article a "did you mean" button named, in ``language``."""
    page = live_articles(language).filter(key=key).first()
    if page is None:
        return faq(language, key.replace("-", " "))
    url = page.get_url()
    return [message(page.summary, article_key=key, url=absolute(url), links=[link(page.title, url)])]
