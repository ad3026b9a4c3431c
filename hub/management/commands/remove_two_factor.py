from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from hub import two_factor


class Command(BaseCommand):
    help = "Remove a user's authenticator app (lost phone): they sign in with the password, then re-enrol."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        if not two_factor.reset(actor="manage.py", user=user):
            raise CommandError(f"{username!r} has no authenticator app")
        self.stdout.write(f"two-factor sign-in removed for {username}")
