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
