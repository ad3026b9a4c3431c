"""The ticketing engine's audit action codes (see ``hub.audit``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hub.audit import register


@register(_("Ticketing"))
class Action(models.TextChoices):
    SELLER_SIGNUP_REQUESTED = "seller.signup_requested", _("Seller sign-up requested")
    SELLER_REGISTERED = "seller.registered", _("Seller space registered")
    SELLER_VERIFICATION_SENT = "seller.verification_sent", _("Verification code sent")
    SELLER_VERIFICATION_CHECKED = "seller.verification_checked", _("Verification code checked")
    SELLER_VERIFIED = "seller.verified", _("Seller space verified")
    SELLER_SUSPENDED = "seller.suspended", _("Seller space suspended")
    SELLER_REACTIVATED = "seller.reactivated", _("Seller space reactivated")
    SELLER_COMMISSION_CHANGED = "seller.commission_changed", _("Commission changed")
    MEMBER_INVITED = "member.invited", _("Member invited")
    MEMBER_INVITATION_WITHDRAWN = "member.invitation_withdrawn", _("Invitation withdrawn")
    MEMBER_JOINED = "member.joined", _("Member joined")
    MEMBER_REMOVED = "member.removed", _("Member removed")
    EVENT_CREATED = "event.created", _("Event created")
    EVENT_UPDATED = "event.updated", _("Event updated")
    EVENT_PUBLISHED = "event.published", _("Event published")
    EVENT_CANCELLED = "event.cancelled", _("Event cancelled")
    CATEGORY_CREATED = "category.created", _("Ticket category created")
    CATEGORY_DELETED = "category.deleted", _("Ticket category deleted")
    ORDER_PLACED = "order.placed", _("Order placed")
    ORDER_PAID = "order.paid", _("Order paid")
    ORDER_REFUNDED = "order.refunded", _("Order refunded")
    ORDER_TICKETS_RESENT = "order.tickets_resent", _("Tickets sent again")
    PAYMENT_STARTED = "payment.started", _("Payment started")
    PAYMENT_RECEIVED = "payment.received", _("Payment received")
    PAYMENT_FAILED = "payment.failed", _("Payment failed")
    PAYMENT_NOTIFICATION_REJECTED = "payment.notification_rejected", _("Payment notification rejected")
    PAYMENT_REFUND_SCHEDULED = "payment.refund_scheduled", _("Refund scheduled")
    PAYMENT_REFUNDED = "payment.refunded", _("Payment refunded")
    SCAN_UNDONE = "scan.undone", _("Admission undone")
    PRESENCE_CHANGED = "presence.changed", _("Presence changed by hand")
    SCAN_DEVICE_CREATED = "scan_device.created", _("Scanner token created")
    SCAN_DEVICE_REVOKED = "scan_device.revoked", _("Scanner token revoked")
    LISTING_SENT = "listing.sent", _("Listing sent")
    SETTLEMENT_COMPUTED = "settlement.computed", _("Statement computed")
    SETTLEMENT_APPROVED = "settlement.approved", _("Payout approved")
    SETTLEMENT_PAID = "settlement.paid", _("Payout marked paid")
