from django.core.management.base import BaseCommand

from helpcenter.content import CONTENT_FILE, load_help_content


class Command(BaseCommand):
    help = "Create or update the help centre's pages from helpcenter/content/help_centre.toml (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Overwrite pages an editor has changed since the last load."
        )
        parser.add_argument("--file", default=str(CONTENT_FILE), help="Content file (TOML).")

    def handle(self, *args, force, file, **options):
        report = load_help_content(force=force, path=file)
        self.stdout.write(f"Help centre: {report}")
