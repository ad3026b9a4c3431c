"""The hourly file sweep: uploads kept for a form never sent again go after a day, attachment files whose
database row was rolled back go after an hour; the files of saved requests stay."""

import os
import time
from pathlib import Path

import pytest
from django.db import transaction

from escalation import uploads
from escalation.attachments import check_file
from escalation.models import Attachment, TimelineEntry
from escalation.services.common import store_files
from escalation.storage import private_files
from escalation.tasks import sweep_files

from .conftest import new_request

pytestmark = pytest.mark.django_db


def age(relative: str, hours: float) -> Path:
    path = Path(private_files().path(relative))
    then = time.time() - hours * 3600
    os.utime(path, (then, then))
    return path


def attach(request, name="erreur.log"):
    entry = request.timeline.create(kind=TimelineEntry.Kind.MESSAGE_IN, body="voir le fichier")
    store_files(request, entry, [check_file(name, b"HTTP 502 at 19:04")])
    return request.attachments.get(name=name)


def test_pending_uploads_go_after_a_day_and_fresh_ones_stay():
    old, fresh = uploads.keep([check_file("vieux.log", b"abandoned"), check_file("neuf.log", b"in use")])
    old_path, fresh_path = age(old["path"], 25), age(fresh["path"], 2)
    assert sweep_files.delay().get() == {"pending": 1, "orphans": 0}
    assert not old_path.exists() and not old_path.parent.exists()
    assert fresh_path.exists() and uploads.unsign(uploads.sign([fresh])) == [fresh]


def test_files_of_a_rolled_back_request_go_and_saved_attachments_stay():
    kept = attach(new_request())
    with pytest.raises(RuntimeError), transaction.atomic():
        lost = attach(new_request(subject="rolled back"), name="perdu.log")
        lost_name = lost.file.name
        raise RuntimeError("the request could not be saved")
    assert not Attachment.objects.filter(file=lost_name).exists()
    lost_path, kept_path = age(lost_name, 2), age(kept.file.name, 48)
    recent = attach(new_request(subject="being saved"), name="recent.log")
    Attachment.objects.filter(pk=recent.pk).delete()  # a row not yet committed elsewhere: too young to touch
    assert sweep_files.delay().get() == {"pending": 0, "orphans": 1}
    assert not lost_path.exists() and kept_path.exists()
    assert Path(private_files().path(recent.file.name)).exists()
