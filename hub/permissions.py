"""Roles and the one place where Guichet checks them (services and views both call these)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .models import Role

__all__ = [
    "Role",
    "roles_of",
    "has_role",
    "require_role",
    "is_operator",
    "require_operator",
    "role_required",
    "STAFF_ROLES",
]

STAFF_ROLES = tuple(Role.values)


def roles_of(user) -> frozenset[str]:
    """The user's roles, read once per request object; a superuser is an operator."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_guichet_roles", None)
    if cached is None:
        cached = frozenset(user.role_assignments.values_list("role", flat=True))
        if user.is_superuser:
            cached |= {Role.OPERATOR}
        user._guichet_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    """True when the user holds at least one of ``roles`` (any staff role when none is named)."""
    held = roles_of(user)
    return bool(held & set(roles or STAFF_ROLES))


def require_role(user, *roles: str) -> None:
    if not has_role(user, *roles):
        raise PermissionDenied


def is_operator(user) -> bool:
    """Operators run the platform (status page, outbox, every seller space); a superuser is one."""
    return has_role(user, Role.OPERATOR)


def require_operator(user) -> None:
    require_role(user, Role.OPERATOR)


def role_required(*roles: str):
    """View decorator: anonymous users go to the login page, others need one of ``roles``."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require_role(request.user, *roles)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
