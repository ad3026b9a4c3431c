from .navigation import items_for


def backoffice(request):
    """The menu of the signed-in user, computed only when a template asks for it."""
    return {"nav_items": lambda: items_for(request.user)}
