"""Demo accounts: one user per role. The passwords are public (README); never load this in production."""

from django.db import transaction
from django.utils import translation

from . import services
from .models import Role, User

ACCOUNTS = [
    # username, password, first name, last name, role
    ("operator", "guichet-operator", "Olivia", "Opérateur", Role.OPERATOR),
    ("support", "guichet-support", "Samuel", "Support", Role.SUPPORT_AGENT),
    ("manager", "guichet-manager", "Marie", "Manager", Role.ACCOUNT_MANAGER),
    ("seller", "guichet-seller", "Sophie", "Vendeur", Role.SELLER_ADMIN),
    ("boxoffice", "guichet-boxoffice", "Bruno", "Caisse", Role.BOX_OFFICE),
    ("door", "guichet-door", "Dounia", "Contrôle", Role.DOOR_STAFF),
]


@transaction.atomic
def load(stdout):
    stdout.write("Demo accounts (user name / password / role):")
    for username, password, first_name, last_name, role in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@guichet.localhost",
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        services.grant_role(actor="demo_data", user=user, role=role)
        with translation.override("en"):  # the command speaks English, role names included
            stdout.write(f"  {username:<10} {password:<18} {role.label}")
