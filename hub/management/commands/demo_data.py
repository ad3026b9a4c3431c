from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import module_has_submodule


class Command(BaseCommand):
    help = "Load the demo data of every app that has a demo module (safe to run again)."

    def handle(self, *args, **options):
        if not (settings.DEBUG or settings.DEMO):
            raise CommandError(
                "Demo data creates accounts with public passwords: it loads only on a demo server "
                "(DEBUG=1 or DEMO=1), never into production."
            )
        for app in apps.get_app_configs():
            if module_has_submodule(app.module, "demo"):
                import_module(f"{app.name}.demo").load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
