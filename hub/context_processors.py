from .navigation import identities_for, items_for, shell_slots


def backoffice(request):
    """The menu of the signed-in user and the shell's slots, computed only when a template asks for them."""
    return {
        "nav_items": lambda: items_for(request.user),
        "shell_slots": shell_slots,
        "identities": lambda: identities_for(request.user),
    }
