from django import template

register = template.Library()


@register.filter
def initials(user) -> str:
    """Up to two capital letters for the header's badge: first and last name, else the user name."""
    words = (user.get_full_name() or user.get_username()).replace(".", " ").replace("_", " ").split()
    letters = [word[0] for word in words[:1] + words[1:][-1:]] if words else ["?"]
    return "".join(letters).upper()
