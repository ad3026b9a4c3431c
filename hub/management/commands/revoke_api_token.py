from django.core.management.base import BaseCommand, CommandError

from hub import tokens
from hub.models import ApiToken


class Command(BaseCommand):
    help = "Revoke API tokens at once: one by the prefix shown in the back office, or all of a user's."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--prefix", help="the token's first characters, e.g. gt_AbC1234")
        which.add_argument("--user", help="revoke every live token of this user name")

    def handle(self, *args, prefix, user, **options):
        live = ApiToken.objects.select_related("user").filter(revoked_at__isnull=True)
        chosen = list(live.filter(prefix=prefix.rstrip("…")) if prefix else live.filter(user__username=user))
        if not chosen:
            raise CommandError(
                f"no live token with prefix {prefix!r}" if prefix else f"{user!r} has no live token"
            )
        if prefix and len(chosen) > 1:
            raise CommandError(f"{len(chosen)} tokens start with {prefix!r}: revoke them with --user")
        revoked = sum(tokens.revoke_token(actor="manage.py", token=token) for token in chosen)
        self.stdout.write(f"{revoked} token(s) revoked")
