from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from hub import tokens


class Command(BaseCommand):
    help = "Create an API token for a user and print it (it is shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="command line")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        _, raw = tokens.create_token(actor="manage.py", user=user, name=name)
        self.stdout.write(raw)
