from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import notifications, services, snapshot


@shared_task(
    name="statuspage.notify_subscribers",
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=8,
)
def notify_subscribers(event: str, incident_id: int, update_id: int | None) -> dict:
    """The fan-out. A database hiccup runs it again later: what an earlier run queued has the same
    idempotency keys, so nobody gets a message twice (the broker is not needed inside: the outbox's
    sweep delivers what could not be handed to the workers)."""
    return notifications.notify(event, incident_id, update_id)


@shared_task(name="statuspage.run_maintenance_schedule")
def run_maintenance_schedule() -> dict:
    return services.run_maintenance_schedule()


@shared_task(name="statuspage.rebuild_snapshot")
def rebuild_snapshot() -> str:
    """Every minute: the uptime bars move on with time, and a cache lost is refilled."""
    return snapshot.rebuild()["generated_at"]
