from celery import shared_task

from hub import messaging


@shared_task(name="hub.tasks.deliver_messages")
def deliver_messages(message_ids: list[int]) -> dict:
    """Deliver messages queued by a committed transaction; already-sent ones are skipped."""
    return messaging.deliver_messages(message_ids)


@shared_task(name="hub.tasks.deliver_due_messages")
def deliver_due_messages() -> dict:
    """The 30-second sweep: everything due that no task took (worker down, broker lost, retries)."""
    return messaging.deliver_due()


@shared_task(name="hub.tasks.purge_sent_bodies")
def purge_sent_bodies() -> int:
    """The hourly clean-up: sent messages lose their content after ``OUTBOX_BODY_RETENTION_DAYS``."""
    return messaging.purge_sent_bodies()
