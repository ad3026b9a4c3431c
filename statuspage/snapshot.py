"""The public status, built once per change and served from the cache — and from a file when the
database is down (S1). Readers never wait on the database: the page and the JSON are ready-made bytes.

``build()`` reads the database into plain data; ``rebuild()`` renders every page and JSON document from it
into the cache and writes the data to ``STATUS_SNAPSHOT_FILE``. The views only read the cache, falling
back on a rebuild, then on the file.
"""

import gzip
import json
import logging
import os
import tempfile
from collections import defaultdict
from datetime import datetime, time, timedelta
from time import monotonic

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import DatabaseError
from django.db.models import OuterRef, Q, Subquery
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from hub.i18n import LANGUAGE_CODES

from . import uptime, v2_documents
from .models import (
    SEVERITY,
    Component,
    ComponentGroup,
    ComponentStatus,
    ComponentStatusChange,
    Incident,
    Playbook,
)
from .presentation import page_context

logger = logging.getLogger(__name__)

DAYS = 90
HISTORY_DAYS = 180
KEY = "statuspage:{}:v4"  # bump when the stored format changes
JSON_DOCUMENTS = (
    "summary",
    "status",
    "components",
    "incidents",
    "incidents/unresolved",
    "scheduled-maintenances",
    "scheduled-maintenances/upcoming",
    "scheduled-maintenances/active",
)
DESCRIPTIONS = {  # Statuspage's own wording, for the API
    "none": "All Systems Operational",
    "minor": "Minor Service Outage",
    "major": "Partial System Outage",
    "critical": "Major Service Outage",
}
IMPACT_RANK = {"none": 0, "minor": 1, "major": 2, "critical": 3}


def _iso(value):
    return value.isoformat() if value else None


def _texts(original: str, language: str, translations: dict) -> dict:
    return {
        code: (original if code == language else translations.get(code) or original)
        for code in LANGUAGE_CODES
    }


def _written_in(language: str, translations: dict) -> list[str]:
    """The languages a text really exists in (the others fall back on the original)."""
    return [code for code in LANGUAGE_CODES if code == language or (translations or {}).get(code)]


# --- Reading the database ------------------------------------------------------------------------------


def _uptime(components: list[Component], now) -> dict[int, dict]:
    """Per component and per day of the last 90: the worst status, the share of time it was up and the colour
    band that share gives (``statuspage.uptime``: one figure for both)."""
    zone = timezone.get_current_timezone()
    first_day = timezone.localdate(now) - timedelta(days=DAYS - 1)
    window_start = datetime.combine(first_day, time.min, tzinfo=zone)
    before = ComponentStatusChange.objects.filter(component=OuterRef("pk"), started_at__lt=window_start)
    initial = dict(
        Component.objects.filter(pk__in=[c.pk for c in components])
        .annotate(initial=Subquery(before.order_by("-started_at").values("status")[:1]))
        .values_list("pk", "initial")
    )
    changes = defaultdict(list)
    for component_id, status, started in ComponentStatusChange.objects.filter(
        started_at__gte=window_start
    ).values_list("component_id", "status", "started_at"):
        changes[component_id].append((started, status))
    result = {}
    for component in components:
        segments = [
            (
                max(window_start, component.created_at),
                initial.get(component.pk) or ComponentStatus.OPERATIONAL,
            )
        ]
        segments += sorted(changes[component.pk])
        days, down_total, span_total = [], 0.0, 0.0
        for offset in range(DAYS):
            day = first_day + timedelta(days=offset)
            day_start = datetime.combine(day, time.min, tzinfo=zone)
            day_end = min(day_start + timedelta(days=1), now)
            if day_end <= max(day_start, component.created_at):
                days.append({"date": day.isoformat(), "status": None, "uptime": None, "band": "none"})
                continue
            durations = defaultdict(float)
            for index, (start, status) in enumerate(segments):
                end = segments[index + 1][0] if index + 1 < len(segments) else now
                overlap = (min(end, day_end) - max(start, day_start, component.created_at)).total_seconds()
                if overlap > 0:
                    durations[status] += overlap
            worst = max(durations, key=lambda s: SEVERITY[s]) if durations else ComponentStatus.OPERATIONAL
            percent, band = uptime.figure(durations)
            days.append({"date": day.isoformat(), "status": worst, "uptime": percent, "band": band})
            down_total += uptime.down_seconds(durations)
            span_total += sum(durations.values())
        result[component.pk] = {
            "days": days,
            "uptime_percent": round(100 * (1 - down_total / span_total), 2) if span_total else None,
        }
    return result


def incident_data(incident: Incident) -> dict:
    return {
        "id": incident.code,
        "kind": incident.kind,
        "name": _texts(incident.name, incident.language, incident.name_translations),
        "language": incident.language,
        "name_languages": _written_in(incident.language, incident.name_translations),
        "status": incident.status,
        "impact": incident.impact,
        "created_at": _iso(incident.created_at),
        "updated_at": _iso(incident.updated_at),
        "started_at": _iso(incident.started_at),
        "monitoring_at": _iso(incident.monitoring_at),
        "resolved_at": _iso(incident.resolved_at),
        "scheduled_for": _iso(incident.scheduled_for),
        "scheduled_until": _iso(incident.scheduled_until),
        "reminded_at": _iso(incident.reminder_sent_at),
        "postmortem": incident.postmortem if incident.postmortem_published_at else "",
        "components": [
            {"code": link.component.code, "status": link.status} for link in incident.affected.all()
        ],
        "playbooks": [playbook.key for playbook in incident.playbooks.all()],
        "updates": [
            {
                "id": update.code,
                "status": update.status,
                "body": _texts(update.body, update.language, update.translations),
                "language": update.language,
                "languages": _written_in(update.language, update.translations),
                "created_at": _iso(update.created_at),
                "affected_components": update.affected_components,
            }
            for update in incident.updates.all()
        ],
    }


def _indicator(components, open_incidents) -> str:
    worst = max((SEVERITY[c["status"]] for c in components), default=0)
    rank = max((IMPACT_RANK[i["impact"]] for i in open_incidents if i["kind"] == "incident"), default=0)
    if worst >= SEVERITY[ComponentStatus.MAJOR]:
        rank = max(rank, IMPACT_RANK["major"])
    elif worst >= SEVERITY[ComponentStatus.DEGRADED]:
        rank = max(rank, IMPACT_RANK["minor"])
    return {value: key for key, value in IMPACT_RANK.items()}[rank]


def _component_data(component: Component) -> dict:
    return {
        "id": component.code,
        "slug": component.slug,
        "name": _in_each_language(component, "name"),
        "description": _in_each_language(component, "description"),
        "status": component.status,
        "position": component.position,
        "group": component.group.code if component.group else None,
        "created_at": _iso(component.created_at),
        "updated_at": _iso(component.updated_at),
    }


def _in_each_language(obj, field: str) -> dict:
    """A text kept once per language, in each, falling back on the French."""
    return {code: getattr(obj, f"{field}_{code}") or getattr(obj, f"{field}_fr") for code in LANGUAGE_CODES}


def build(now=None) -> dict:
    """Everything the public status shows, read from the database into plain data. Retired components are
    kept apart: off the page and the component lists, still named in the incidents that affected them."""
    now = now or timezone.now()
    components = list(Component.objects.select_related("group"))
    live = [c for c in components if c.retired_at is None]
    bars = _uptime(live, now)
    since = now - timedelta(days=HISTORY_DAYS)
    incidents = (
        Incident.objects.filter(Q(created_at__gte=since) | ~Q(status__in=Incident.CLOSED))
        .prefetch_related("affected__component", "playbooks", "updates")
        .order_by("-created_at")
    )
    incidents_data = [incident_data(i) for i in incidents]
    component_data = [{**_component_data(c), **bars[c.pk]} for c in live]
    open_incidents = [i for i in incidents_data if i["status"] not in Incident.CLOSED]
    indicator = _indicator(component_data, open_incidents)
    return {
        "generated_at": _iso(now),
        "page": {
            "id": "guichet",
            "name": settings.STATUS_PAGE_NAME,
            "url": settings.SITE_URL + "/status/",
            "time_zone": settings.TIME_ZONE,
            "updated_at": max(
                [c["updated_at"] for c in component_data] + [i["updated_at"] for i in incidents_data],
                default=_iso(now),
            ),
        },
        "status": {"indicator": indicator, "description": DESCRIPTIONS[indicator]},
        "groups": [
            {
                "id": g.code,
                "slug": g.slug,
                "name": _in_each_language(g, "name"),
                "position": g.position,
                "created_at": _iso(g.created_at),
            }
            for g in ComponentGroup.objects.live()
        ],
        "components": component_data,
        "retired_components": [_component_data(c) for c in components if c.retired_at is not None],
        "incidents": incidents_data,
        "playbooks": {
            p.key: {
                "title": {code: p.title_in(code) for code in LANGUAGE_CODES},
                "body": {code: p.body_in(code) for code in LANGUAGE_CODES},
            }
            for p in Playbook.objects.all()
        },
    }


# --- Rendering ----------------------------------------------------------------------------------------


def render_page(data: dict, language: str, *, stale: bool = False) -> bytes:
    """The public page; ``stale`` when it comes from the file because the database is unreachable."""
    with translation.override(language):
        context = {**page_context(data, language), "stale": stale}
        return render_to_string("statuspage/page.html", context).encode()


def render_json(data: dict, document: str, language: str) -> bytes:
    return json.dumps(v2_documents.document(data, document, language), ensure_ascii=False).encode()


def _gzip(body: bytes) -> bytes:
    """Compressed once per change, not once per reader (nearly every browser and monitor accepts gzip)."""
    return gzip.compress(body, mtime=0)


def _artifacts(data: dict) -> dict[str, bytes]:
    artifacts = {}
    for language in LANGUAGE_CODES:
        artifacts[KEY.format(f"html:{language}")] = _gzip(render_page(data, language))
        for document in JSON_DOCUMENTS:
            artifacts[KEY.format(f"json:{document}:{language}")] = _gzip(
                render_json(data, document, language)
            )
    return artifacts


def rebuild() -> dict:
    """Read the database, render everything, publish it in the cache and keep a copy on disk."""
    data = build()
    entries = {KEY.format("data"): data, **_artifacts(data)}
    try:
        cache.set_many(entries, timeout=None)
    except Exception:  # the cache is down: readers rebuild or fall back on the file
        logger.exception("could not store the status snapshot in the cache")
    now = monotonic()
    _local.update({key: (now, value) for key, value in entries.items()})
    _write_file(data)
    return data


def _write_file(data: dict) -> None:
    path = settings.STATUS_SNAPSHOT_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as handle:
            json.dump(data, handle)
        os.replace(handle.name, path)
    except OSError:
        logger.exception("could not write the status snapshot file")


# Each process keeps what it read from the shared cache for a second: under load most requests never leave
# the process, and a change still shows everywhere within a second of its rebuild.
LOCAL_SECONDS = 1.0
_local: dict[str, tuple[float, object]] = {}


@receiver(setting_changed)
def clear_local(**kwargs) -> None:
    _local.clear()


def _cached(key: str):
    now = monotonic()
    kept = _local.get(key)
    if kept is not None and now - kept[0] < LOCAL_SECONDS:
        return kept[1]
    try:
        value = cache.get(key)
    except Exception:  # a cache outage must not take the status page down
        logger.exception("status cache unavailable")
        return None
    if value is not None:
        _local[key] = (now, value)
    return value


def current_data() -> tuple[dict, bool]:
    """(data, fresh): from the cache, else rebuilt from the database, else the last file (not fresh)."""
    data = _cached(KEY.format("data"))
    if data is not None:
        return data, True
    try:
        return rebuild(), True
    except DatabaseError:
        logger.exception("database unavailable: serving the status page from the last snapshot file")
    try:
        return json.loads(settings.STATUS_SNAPSHOT_FILE.read_text()), False
    except (OSError, ValueError):
        return _empty(), False


def _empty() -> dict:
    now = _iso(timezone.now())
    return {
        "generated_at": now,
        "page": {
            "id": "guichet",
            "name": settings.STATUS_PAGE_NAME,
            "url": settings.SITE_URL + "/status/",
            "time_zone": settings.TIME_ZONE,
            "updated_at": now,
        },
        "status": {"indicator": "none", "description": DESCRIPTIONS["none"]},
        "groups": [],
        "components": [],
        "retired_components": [],
        "incidents": [],
        "playbooks": {},
    }


def page(language: str) -> bytes:
    """The public page, gzip-compressed."""
    body = _cached(KEY.format(f"html:{language}"))
    if body is None:
        data, fresh = current_data()
        body = _gzip(render_page(data, language, stale=not fresh))
    return body


def json_document(document: str, language: str) -> bytes:
    """A Statuspage v2 document, gzip-compressed."""
    body = _cached(KEY.format(f"json:{document}:{language}"))
    if body is None:
        data, _fresh = current_data()
        body = _gzip(render_json(data, document, language))
    return body


def incident_url(code: str, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("statuspage:incident", args=[code])
