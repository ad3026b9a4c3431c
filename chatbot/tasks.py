"""The assistant's scheduled work: transcripts leave their requests after CHATBOT_TRANSCRIPT_DAYS."""

from celery import shared_task
from django.conf import settings

from escalation.services.requests import purge_transcripts as purge


@shared_task(name="chatbot.purge_transcripts")
def purge_transcripts() -> int:
    return purge(older_than_days=settings.CHATBOT_TRANSCRIPT_DAYS)
