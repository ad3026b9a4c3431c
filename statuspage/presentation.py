"""Turn the snapshot data into what the public templates show, in one language (no database access)."""

from collections import OrderedDict
from datetime import date, datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import uptime
from .models import ComponentStatus, Incident
from .uptime import BAND_LABELS

BANNERS = {
    "none": ("ok", gettext_noop("All systems operational")),
    "minor": ("minor", gettext_noop("Some services are degraded")),
    "major": ("major", gettext_noop("Partial outage")),
    "critical": ("critical", gettext_noop("Major outage")),
}


# Said on the other languages' pages when an incident's texts are not translated into them.
ONLY_IN = {
    "fr": gettext_noop("Published in French only"),
    "de": gettext_noop("Published in German only"),
    "en": gettext_noop("Published in English only"),
}
PARTLY_IN = {
    "fr": gettext_noop("Some messages were published in French only"),
    "de": gettext_noop("Some messages were published in German only"),
    "en": gettext_noop("Some messages were published in English only"),
}


MIXED = gettext_noop("Not translated yet: shown in the languages it was written in")


def _translation_note(fallbacks: list[str], total: int) -> str:
    """Empty when every text is in the reader's language; otherwise which language the reader gets instead
    (``fallbacks``: the language of each text shown untranslated, out of ``total`` texts)."""
    written = set(fallbacks) & set(ONLY_IN)
    if not fallbacks or not written:
        return ""
    if len(set(fallbacks)) > 1:
        return _(MIXED)
    (language,) = written
    return _(ONLY_IN[language] if len(fallbacks) == total else PARTLY_IN[language])


def _dt(value):
    return datetime.fromisoformat(value) if value else None


def _status_label(status: str) -> str:
    return str(Incident.Status(status).label)


def every_component(data: dict) -> dict[str, dict]:
    """Live and retired components by code, for naming those an incident affected."""
    return {c["id"]: c for c in data["components"] + data.get("retired_components", [])}


def incident_view(incident: dict, data: dict, language: str) -> dict:
    names = {code: c["name"][language] for code, c in every_component(data).items()}
    written = incident.get("language", "")  # a snapshot file from before languages were kept: no note

    def fallback(languages, original):  # the language shown instead of the reader's, or ""
        return original if languages is not None and language not in languages else ""

    name_fallback = fallback(incident.get("name_languages"), written)
    updates = [
        {
            "status_label": _status_label(u["status"]),
            "body": u["body"][language],
            "created_at": _dt(u["created_at"]),
            "lang": fallback(u.get("languages"), u.get("language", written)),
        }
        for u in incident["updates"]
    ]
    fallbacks = [code for code in [name_fallback, *(u["lang"] for u in updates)] if code]
    return {
        "code": incident["id"],
        "kind": incident["kind"],
        "name": incident["name"][language],
        "name_lang": name_fallback,
        "translation_note": _translation_note(fallbacks, 1 + len(updates)),
        "status": incident["status"],
        "status_label": _status_label(incident["status"]),
        "impact": incident["impact"],
        "open": incident["status"] not in Incident.CLOSED,
        "created_at": _dt(incident["created_at"]),
        "resolved_at": _dt(incident["resolved_at"]),
        "scheduled_for": _dt(incident["scheduled_for"]),
        "scheduled_until": _dt(incident["scheduled_until"]),
        "components": [
            {
                "name": names.get(link["code"], "?"),
                "status": link["status"],
                "status_label": ComponentStatus(link["status"]).label,
            }
            for link in incident["components"]
        ],
        "updates": updates,
        "playbooks": [
            {
                "key": key,
                "title": data["playbooks"][key]["title"][language],
                "body": data["playbooks"][key]["body"][language],
            }
            for key in incident["playbooks"]
            if key in data["playbooks"]
        ],
        "postmortem": incident["postmortem"],
    }


def page_context(data: dict, language: str) -> dict:
    components = []
    for component in data["components"]:
        days = []
        for day in component["days"]:
            shown = day.get("band") or uptime.band(day["uptime"])  # a snapshot file from before bands
            days.append(
                {
                    **day,
                    "date": date.fromisoformat(day["date"]),
                    "band": shown,
                    "label": _(BAND_LABELS[shown]),
                }
            )
        components.append(
            {
                "code": component["id"],
                "name": component["name"][language],
                "description": component["description"][language],
                "status": component["status"],
                "status_label": ComponentStatus(component["status"]).label,
                "group": component["group"],
                "days": days,
                "uptime_percent": component["uptime_percent"],
            }
        )
    groups = [
        {"name": group["name"][language], "components": [c for c in components if c["group"] == group["id"]]}
        for group in data["groups"]
    ]
    ungrouped = [c for c in components if not c["group"]]
    if ungrouped:
        groups.insert(0, {"name": "", "components": ungrouped})
    incidents = [incident_view(i, data, language) for i in data["incidents"]]
    history = OrderedDict()
    for incident in incidents:
        if not incident["open"]:
            month = (incident["resolved_at"] or incident["created_at"]).date().replace(day=1)
            history.setdefault(month, []).append(incident)
    level, text = BANNERS[data["status"]["indicator"]]
    return {
        "generated_at": _dt(data["generated_at"]),
        "banner": {"level": level, "text": _(text)},
        "groups": [g for g in groups if g["components"]],
        "active": [i for i in incidents if i["open"] and i["kind"] == "incident"],
        "maintenance_now": [
            i for i in incidents if i["kind"] == "maintenance" and i["status"] in ("in_progress", "verifying")
        ],
        "upcoming": sorted(
            (i for i in incidents if i["kind"] == "maintenance" and i["status"] == "scheduled"),
            key=lambda i: i["scheduled_for"],
        ),
        "history": list(history.items()),
        "language": language,
    }
