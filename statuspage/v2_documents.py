"""The public Statuspage v2 documents (summary.json and friends), built from the snapshot data, so that
existing widgets and monitors read Guichet's status as they read any Statuspage page."""

from django.conf import settings

from .models import SEVERITY, ComponentStatus, Incident
from .presentation import every_component

PAGE_ID = "guichet"


def _component(component: dict, language: str) -> dict:
    return {
        "id": component["id"],
        "name": component["name"][language],
        "status": component["status"],
        "created_at": component["created_at"],
        "updated_at": component["updated_at"],
        "position": component["position"],
        "description": component["description"][language] or None,
        "showcase": True,
        "start_date": component["created_at"][:10],
        "group_id": component["group"],
        "page_id": PAGE_ID,
        "group": False,
        "only_show_if_degraded": False,
    }


def _groups(data: dict, language: str) -> list[dict]:
    """Statuspage's groups, each with the worst status of its members."""
    groups = []
    for group in data["groups"]:
        members = [c for c in data["components"] if c["group"] == group["id"]]
        worst = max((c["status"] for c in members), key=SEVERITY.get, default=ComponentStatus.OPERATIONAL)
        groups.append(
            {
                "id": group["id"],
                "name": group["name"][language],
                "status": str(worst),
                "created_at": group["created_at"],
                "updated_at": group["created_at"],
                "position": group["position"],
                "description": None,
                "showcase": False,
                "start_date": None,
                "group_id": None,
                "page_id": PAGE_ID,
                "group": True,
                "only_show_if_degraded": False,
                "components": [c["id"] for c in members],
            }
        )
    return groups


def components(data: dict, language: str) -> list[dict]:
    return [_component(c, language) for c in data["components"]] + _groups(data, language)


def _affected(changes: list[dict], by_code: dict, language: str) -> list[dict] | None:
    """An update's component changes, each named in ``language`` (retired components included)."""
    return [
        {
            **change,
            "name": by_code[change["code"]]["name"][language]
            if change["code"] in by_code
            else change["name"],
        }
        for change in changes
    ] or None


def _incident(incident: dict, data: dict, language: str) -> dict:
    by_code = every_component(data)
    document = {
        "id": incident["id"],
        "name": incident["name"][language],
        "status": incident["status"],
        "created_at": incident["created_at"],
        "updated_at": incident["updated_at"],
        "monitoring_at": incident["monitoring_at"],
        "resolved_at": incident["resolved_at"],
        "impact": incident["impact"],
        "shortlink": f"{settings.SITE_URL}/{language}/status/incidents/{incident['id']}/",
        "started_at": incident["started_at"],
        "page_id": PAGE_ID,
        "incident_updates": [
            {
                "id": update["id"],
                "status": update["status"],
                "body": update["body"][language],
                "incident_id": incident["id"],
                "created_at": update["created_at"],
                "updated_at": update["created_at"],
                "display_at": update["created_at"],
                "affected_components": _affected(update["affected_components"], by_code, language),
                "deliver_notifications": True,
                "custom_tweet": None,
                "tweet_id": None,
            }
            for update in incident["updates"]
        ],
        "components": [
            _component(by_code[link["code"]], language)
            for link in incident["components"]
            if link["code"] in by_code
        ],
    }
    if incident["kind"] == Incident.Kind.MAINTENANCE:
        document.update(
            scheduled_for=incident["scheduled_for"],
            scheduled_until=incident["scheduled_until"],
            scheduled_remind_prior=True,
            scheduled_reminded_at=incident["reminded_at"],
            scheduled_auto_in_progress=True,
            scheduled_auto_completed=True,
        )
    return document


def _incidents(data, language, *, kind, statuses=None, limit=50) -> list[dict]:
    found = [
        i for i in data["incidents"] if i["kind"] == kind and (statuses is None or i["status"] in statuses)
    ]
    return [_incident(i, data, language) for i in found[:limit]]


OPEN_INCIDENT = ("investigating", "identified", "monitoring")
UPCOMING = ("scheduled",)
ACTIVE = ("in_progress", "verifying")


def document(data: dict, name: str, language: str) -> dict:
    page = {**data["page"]}
    status = data["status"]
    if name == "status":
        return {"page": page, "status": status}
    if name == "components":
        return {"page": page, "components": components(data, language)}
    if name == "incidents":
        return {"page": page, "incidents": _incidents(data, language, kind="incident")}
    if name == "incidents/unresolved":
        return {
            "page": page,
            "incidents": _incidents(data, language, kind="incident", statuses=OPEN_INCIDENT),
        }
    if name == "scheduled-maintenances":
        return {"page": page, "scheduled_maintenances": _incidents(data, language, kind="maintenance")}
    if name == "scheduled-maintenances/upcoming":
        return {
            "page": page,
            "scheduled_maintenances": _incidents(data, language, kind="maintenance", statuses=UPCOMING),
        }
    if name == "scheduled-maintenances/active":
        return {
            "page": page,
            "scheduled_maintenances": _incidents(data, language, kind="maintenance", statuses=ACTIVE),
        }
    if name == "summary":
        return {
            "page": page,
            "components": components(data, language),
            "incidents": _incidents(data, language, kind="incident", statuses=OPEN_INCIDENT),
            "scheduled_maintenances": _incidents(
                data, language, kind="maintenance", statuses=UPCOMING + ACTIVE
            ),
            "status": status,
        }
    raise KeyError(name)
