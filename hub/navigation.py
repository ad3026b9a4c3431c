"""The back-office menu. Each app registers its entries in ``AppConfig.ready``; users see theirs."""

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

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_items: list[NavItem] = []


def register(*, label, url_name: str, roles, icon: str = "•", order: int = 100) -> None:
    if any(item.url_name == url_name for item in _items):
        return
    _items.append(NavItem(label, url_name, frozenset(roles), icon, order))
    _items.sort(key=lambda item: item.order)


def items_for(user) -> list[NavItem]:
    held = roles_of(user)
    return [item for item in _items if item.roles & held]
