from celery import shared_task

from . import notifications, services, snapshot


@shared_task(name="statuspage.notify_subscribers")
def notify_subscribers(event: str, incident_id: int, update_id: int | None) -> dict:
    return notifications.notify(event, incident_id, update_id)


@shared_task(name="statuspage.run_maintenance_schedule")
def run_maintenance_schedule() -> dict:
    return services.run_maintenance_schedule()


@shared_task(name="statuspage.rebuild_snapshot")
def rebuild_snapshot() -> str:
    """Every minute: the uptime bars move on with time, and a cache lost is refilled."""
    return snapshot.rebuild()["generated_at"]
