"""Boxes the ticketing engine puts on the back-office overview."""

from hub.models import Role

from .selectors import organisations_of


def seller_status(request):
    """Seller spaces of this user that cannot sell yet, with what to do about it."""
    blocked = organisations_of(request.user, Role.SELLER_ADMIN).exclude(status="active")
    return {"organisations": list(blocked)} if blocked else None
