"""Support-desk tasks: they take ids and are safe to run twice (each step is claimed once)."""

from celery import shared_task

from .services import files, incidents, paging, sla


@shared_task(name="escalation.page_on_call")
def page_on_call(request_id: int) -> bool:
    return paging.page(request_id=request_id) is not None


@shared_task(name="escalation.page_backups")
def page_backups() -> int:
    return paging.page_backups()


@shared_task(name="escalation.sweep_sla")
def sweep_sla() -> dict:
    return sla.sweep()


@shared_task(name="escalation.answer_resolved_incident")
def answer_resolved_incident(incident_id: int) -> int:
    return incidents.answer_resolved_incident(incident_id=incident_id)


@shared_task(name="escalation.sweep_files")
def sweep_files() -> dict:
    return files.sweep_files()
