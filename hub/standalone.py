"""Scripts may import an app's public contract on its own (``python -c "import statuspage.selectors"``):
the app's package sets Django up first when nothing else has. Inside Django's own start (manage.py,
gunicorn, Celery, pytest) the apps are already loading or loaded, and this does nothing."""

import os

import django
from django.apps import apps


def ensure_setup() -> None:
    if not apps.ready and not apps.loading:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
        django.setup()
