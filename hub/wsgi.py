import os

from django.core.wsgi import get_wsgi_application
from django.db import connections

from hub.signals import web_process_started

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
application = get_wsgi_application()
web_process_started.send(sender=None)
connections.close_all()  # request threads open their own; a preloaded master must not hand one down
