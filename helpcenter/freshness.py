"""What follows a change readers can see — a help page published, unpublished, moved or deleted, the
support contact edited, a content load: once per transaction, after commit, the suggestion index and the
ready-made pages give way to the new content (the pages are rendered anew by a Celery task)."""

from django.db import transaction

from . import snapshot, suggest, tasks


def content_changed(**kwargs) -> None:
    """Signal receiver (any arguments): queue one :class:`_AfterCommit` however many changes commit."""
    for _savepoints, callback, _robust in transaction.get_connection().run_on_commit:
        if isinstance(callback, _AfterCommit) and not callback.done:
            return
    transaction.on_commit(_AfterCommit())


class _AfterCommit:
    done = False

    def __call__(self) -> None:
        self.done = True
        suggest.content_changed()
        snapshot.new_generation()
        tasks.refresh_pages.delay()
