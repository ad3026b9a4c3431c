"""The ticketing engine's tables, one module per area; every model is importable from ``ticketing.models``."""

from .counter import Allotment, CashSession, CounterSale, Station
from .door import ListingDispatch, Scan, ScanDevice
from .emergency import EmergencyContact
from .events import Category, Event
from .organisations import (
    COUNTRY_CURRENCY,
    MEMBER_ROLE_CHOICES,
    MEMBER_ROLES,
    MONEY,
    RATE,
    Currency,
    Invitation,
    Membership,
    Organisation,
    new_account_id,
)
from .sales import Order, Payment, Presence, Refund, Settlement, Ticket

__all__ = [
    "Allotment",
    "COUNTRY_CURRENCY",
    "MEMBER_ROLES",
    "MEMBER_ROLE_CHOICES",
    "MONEY",
    "RATE",
    "CashSession",
    "Category",
    "CounterSale",
    "Currency",
    "EmergencyContact",
    "Event",
    "Invitation",
    "ListingDispatch",
    "Membership",
    "Order",
    "Organisation",
    "Payment",
    "Presence",
    "Refund",
    "Scan",
    "ScanDevice",
    "Settlement",
    "Station",
    "Ticket",
    "new_account_id",
]
