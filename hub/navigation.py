"""The back-office menu. Each app registers its entries in ``AppConfig.ready``; users see theirs."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from .permissions import roles_of


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]
    icon: str = "•"
    order: int = 100
    also: frozenset[str] = frozenset()  # view names of pages under this entry that are not below its URL

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_items: list[NavItem] = []


def register(*, label, url_name: str, roles, icon: str = "•", order: int = 100, also=()) -> None:
    if any(item.url_name == url_name for item in _items):
        return
    _items.append(NavItem(label, url_name, frozenset(roles), icon, order, frozenset(also)))
    _items.sort(key=lambda item: item.order)


def items_for(user) -> list[NavItem]:
    held = roles_of(user)
    return [item for item in _items if item.roles & held]


def current_item(request, items: list[NavItem]) -> NavItem | None:
    """The entry the page belongs to, highlighted in the menu: its own page, a page below its URL (an event's
    tabs under *Events*), or one of its ``also`` views. An entry whose URL holds others' (the overview) is
    current on its own page only."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    urls = {item.url_name: item.url for item in items}
    best = None
    for item in items:
        url = urls[item.url_name]
        if path == url or view_name in item.also:
            return item
        holds_others = any(other != url and other.startswith(url) for other in urls.values())
        longer = best is None or len(url) > len(urls[best.url_name])
        if not holds_others and path.startswith(url) and longer:
            best = item
    return best


@dataclass(frozen=True)
class Panel:
    """A box on the overview page; ``context(request)`` gives its template context, or None to hide it."""

    template: str
    roles: frozenset[str]
    context: Callable
    order: int = 100


_panels: list[Panel] = []


def register_panel(*, template: str, roles, context: Callable, order: int = 100) -> None:
    if any(panel.template == template for panel in _panels):
        return
    _panels.append(Panel(template, frozenset(roles), context, order))
    _panels.sort(key=lambda panel: panel.order)


def panels_for(request) -> list[tuple[str, dict]]:
    held = roles_of(request.user)
    shown = []
    for panel in _panels:
        if panel.roles & held:
            context = panel.context(request)
            if context is not None:
                shown.append((panel.template, context))
    return shown


_slots: list[str] = []


def register_shell_slot(url_name: str) -> None:
    """A piece of every back-office page that another app fills by htmx once loaded (the incident pop-up, S4);
    the fragment keeps itself up to date."""
    if url_name not in _slots:
        _slots.append(url_name)


def shell_slots() -> list[str]:
    return [reverse(name) for name in _slots]


_identities: list[Callable] = []


def register_identity(describe: Callable) -> None:
    """Something the back-office header shows beside the user's initials (the seller's account ID, C2):
    ``describe(user)`` returns a short text, or None."""
    if describe not in _identities:
        _identities.append(describe)


def identities_for(user) -> list[str]:
    return [text for describe in _identities if (text := describe(user))]
