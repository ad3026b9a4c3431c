from celery import shared_task

from . import snapshot


@shared_task(name="helpcenter.refresh_pages")
def refresh_pages() -> int:
    """After a change: every help page rendered anew into the cache and the snapshot file."""
    return snapshot.refresh()
