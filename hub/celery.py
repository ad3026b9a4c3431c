"""The Celery app, and the one way services queue a task: by name, once their transaction commits.

Queuing by name keeps services free of imports of their app's tasks module (which imports the services).
"""

import os

from celery import Celery
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")

app = Celery("guichet")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def task(name: str):
    """The task registered as ``name`` (the apps' task modules are imported the first time one is asked)."""
    if name not in app.tasks:
        app.loader.import_default_modules()  # runs the autodiscovery of every app's tasks.py
    return app.tasks[name]


def delay_on_commit(task_name: str, *args) -> None:
    """Run the task registered as ``task_name`` with ``args`` (ids and plain values, never model instances)
    after the current transaction commits; at once when no transaction is open. Nothing runs on rollback."""
    transaction.on_commit(lambda: task(task_name).delay(*args))
