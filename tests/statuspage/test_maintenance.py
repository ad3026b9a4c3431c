"""Scheduled maintenance runs itself: reminder, start and end on time, once even with two schedulers."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from statuspage import services
from statuspage.models import Component, Incident

from ..helpers import requires_postgres, run_concurrently


@pytest.fixture
def maintenance(components, operator):
    start = timezone.now() + timedelta(hours=3)
    return services.schedule_maintenance(
        actor=operator,
        name="Mise à jour",
        body="La base de données change de serveur.",
        scheduled_for=start,
        scheduled_until=start + timedelta(hours=1),
        components=[components.api, components.booking],
        notify=False,
    )


@pytest.mark.django_db
def test_reminder_start_and_completion_on_time(maintenance, components):
    start, end = maintenance.scheduled_for, maintenance.scheduled_until
    assert services.run_maintenance_schedule(start - timedelta(hours=2)) == {
        "reminded": 0,
        "started": 0,
        "completed": 0,
    }
    assert services.run_maintenance_schedule(start - timedelta(minutes=59))["reminded"] == 1
    assert services.run_maintenance_schedule(start - timedelta(minutes=30))["reminded"] == 0, "once"

    with time_machine.travel(start + timedelta(seconds=20)):
        assert services.run_maintenance_schedule()["started"] == 1
    maintenance.refresh_from_db()
    assert maintenance.status == "in_progress"
    assert set(Component.objects.values_list("slug", "status")) == {
        ("api", "under_maintenance"),
        ("online-booking", "under_maintenance"),
        ("pos", "operational"),
    }
    update = maintenance.updates.first()
    assert update.body == "La maintenance prévue a commencé."
    assert update.body_in("de") == "Die geplante Wartung hat begonnen."

    with time_machine.travel(end + timedelta(seconds=20)):
        assert services.run_maintenance_schedule() == {"reminded": 0, "started": 0, "completed": 1}
        assert services.run_maintenance_schedule() == {"reminded": 0, "started": 0, "completed": 0}
    maintenance.refresh_from_db()
    assert maintenance.status == "completed" and maintenance.resolved_at
    assert set(Component.objects.values_list("status", flat=True)) == {"operational"}
    assert [u.status for u in maintenance.updates.all()] == ["completed", "in_progress", "scheduled"]


@pytest.mark.django_db
def test_a_maintenance_missed_while_down_is_started_and_ended_at_the_next_run(maintenance):
    with time_machine.travel(maintenance.scheduled_until + timedelta(hours=1)):
        counts = services.run_maintenance_schedule()
    assert counts["started"] == 1 and counts["completed"] == 1
    maintenance.refresh_from_db()
    assert maintenance.status == "completed"


@pytest.mark.django_db
def test_maintenance_must_lie_in_the_future_and_end_after_it_starts(components, operator):
    from django.core.exceptions import ValidationError

    now = timezone.now()
    for start, end in [(now - timedelta(hours=1), now + timedelta(hours=1)), (now + timedelta(hours=2), now)]:
        with pytest.raises(ValidationError):
            services.schedule_maintenance(
                actor=operator, name="X", body="Y", scheduled_for=start, scheduled_until=end, components=[]
            )
    assert not Incident.objects.exists()


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_start_a_maintenance_once(components, operator):
    with transaction.atomic():
        maintenance = services.schedule_maintenance(
            actor=operator,
            name="Mise à jour",
            body="Y",
            scheduled_for=timezone.now() + timedelta(minutes=1),
            scheduled_until=timezone.now() + timedelta(hours=1),
            components=[components.api],
            notify=False,
        )
    later = timezone.now() + timedelta(minutes=2)
    results = run_concurrently(lambda: services.run_maintenance_schedule(later), 4)
    assert sum(r["started"] for r in results) == 1
    assert sum(r["reminded"] for r in results) == 0
    assert maintenance.updates.filter(status="in_progress").count() == 1
