"""What the support desk does when other apps tell it something."""

from hub.celery import task

from . import inbound
from .services import paging


def acknowledge_page_by_sms(sender, *, number: str, body: str, **kwargs) -> None:
    """An "ACK" reply to an on-call page (``hub.signals.sms_received``)."""
    paging.acknowledge_by_sms(number=number, body=body)


def email_received(sender, *, event, esp_name, **kwargs) -> None:
    """A reply by email (``anymail.signals.inbound``): lands on the request its reply address names."""
    inbound.receive(event.message)


def incident_resolved(sender, *, incident_id: int, **kwargs) -> None:
    """``statuspage.signals.incident_resolved``: answer the requests linked to it, in the worker."""
    task("escalation.answer_resolved_incident").delay(incident_id)
