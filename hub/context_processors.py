from django.utils.functional import SimpleLazyObject

from .navigation import current_item, identities_for, items_for, shell_slots


def backoffice(request):
    """The menu of the signed-in user and the shell's slots, computed only when a template asks for them."""
    items = SimpleLazyObject(lambda: items_for(request.user))
    return {
        "nav_items": items,
        "nav_current": SimpleLazyObject(lambda: current_item(request, items) or ""),
        "shell_slots": shell_slots,
        "identities": lambda: identities_for(request.user),
    }
