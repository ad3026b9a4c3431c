"""Who may do what in an organisation. Services call these; views only translate refusals into pages."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from hub.models import Role
from hub.permissions import is_operator

from .models import MEMBER_ROLES, Membership, Organisation

DOOR_ROLES = MEMBER_ROLES  # every member of an organisation may scan its tickets


class SellerNotActive(PermissionDenied):
    """The seller space is not verified yet (or suspended): nothing can be published or sold."""


def member_roles(user, organisation: Organisation) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cache = user.__dict__.setdefault("_guichet_memberships", {})
    if organisation.pk not in cache:
        cache[organisation.pk] = set(
            Membership.objects.filter(user=user, organisation=organisation).values_list("role", flat=True)
        )
    return cache[organisation.pk]


def can_manage(user, organisation: Organisation) -> bool:
    """Seller admins of the organisation, and operators (who support every seller)."""
    return is_operator(user) or Role.SELLER_ADMIN in member_roles(user, organisation)


def require_manager(user, organisation: Organisation) -> None:
    if not can_manage(user, organisation):
        raise PermissionDenied


def require_member(user, organisation: Organisation, *roles: str) -> None:
    """Any member (or one of ``roles``) of the organisation; operators always pass."""
    held = member_roles(user, organisation)
    if not (is_operator(user) or (held & set(roles) if roles else held)):
        raise PermissionDenied


def require_active(organisation: Organisation) -> None:
    if organisation.status == Organisation.Status.PENDING_VERIFICATION:
        raise SellerNotActive(_("This seller space is waiting for its phone verification."))
    if organisation.status == Organisation.Status.SUSPENDED:
        raise SellerNotActive(_("This seller space is suspended."))
