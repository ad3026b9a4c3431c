"""Files nobody will ask for again, removed from the private storage: uploads kept for a form that was never
sent again (``uploads``, a day old) and attachment files whose database row was rolled back (an hour old,
so that a request being saved right now keeps its files)."""

import os
from datetime import timedelta

from django.utils import timezone

from ..models import Attachment
from ..storage import private_files
from ..uploads import MAX_AGE

ORPHAN_AGE = timedelta(hours=1)


def sweep_files() -> dict:
    storage = private_files()
    now = timezone.now().timestamp()
    attached = set(Attachment.objects.values_list("file", flat=True))
    removed = {"pending": 0, "orphans": 0}
    root = storage.path("")
    for folder, _subfolders, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, root).replace(os.sep, "/")
            age = now - os.path.getmtime(path)
            if relative.startswith("pending/"):
                if age > MAX_AGE:
                    storage.delete(relative)
                    removed["pending"] += 1
            elif relative not in attached and age > ORPHAN_AGE.total_seconds():
                storage.delete(relative)
                removed["orphans"] += 1
    for folder, subfolders, names in os.walk(storage.path("pending"), topdown=False):
        if not subfolders and not names and folder != storage.path("pending"):
            os.rmdir(folder)
    return removed
