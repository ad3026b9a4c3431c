"""Seller spaces: sign-up, phone verification (T1), suspension, members and invitations."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from twilio.base.exceptions import TwilioException

from hub import messaging, ratelimit, sms, tokens
from hub import services as hub_services
from hub.audit import log_action
from hub.models import Role
from hub.permissions import require_operator

from ..audit import Action
from ..models import MEMBER_ROLES, Currency, Event, Invitation, Membership, Organisation
from ..permissions import require_manager
from ..signals import seller_activated, send_after_commit

User = get_user_model()
INVITATION_DAYS = 14
CODE_SENDS_PER_HOUR = 5
SIGNUP_LINK_DAYS = 2
SIGNUP_SALT = "ticketing.seller-signup"


def _unique_slug(name: str) -> str:
    base = slugify(name)[:60] or "organisation"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _has_account(email: str) -> bool:
    return User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists()


@transaction.atomic
def request_seller_space(*, first_name, last_name, email, language, ip=None, **organisation) -> None:
    """Step one of a sign-up: email a link to confirm the address and choose a password.

    Nothing is created yet, and the answer never tells whether the address has an account: if it has one,
    its owner gets an email saying so instead of the link (the account itself is left as it is)."""
    email = email.strip().lower()
    if not ratelimit.hit("seller-signup-email", email, limit=3, window=3600):
        return  # the same answer, without flooding the mailbox
    known = _has_account(email)
    with translation.override(language):
        if known:
            subject = _("Your Guichet account")
            body = render_to_string(
                "ticketing/emails/seller_signup_known.txt",
                {
                    "login_url": settings.SITE_URL + reverse("hub:login"),
                    "reset_url": settings.SITE_URL + reverse("hub:password_reset"),
                },
            )
        else:
            details = {"first_name": first_name, "last_name": last_name, "language": language}
            token = signing.dumps(
                {**details, "email": email, "organisation": organisation}, salt=SIGNUP_SALT, compress=True
            )
            subject = _("Confirm your address to create your seller space")
            body = render_to_string(
                "ticketing/emails/seller_signup_link.txt",
                {
                    "url": settings.SITE_URL + reverse("ticketing:seller_signup_confirm", args=[token]),
                    "name": organisation.get("name", ""),
                    "days": SIGNUP_LINK_DAYS,
                },
            )
        messaging.enqueue_email(
            to=email,
            subject=subject,
            body=body,
            idempotency_key=f"seller-signup:{email}:{timezone.now().timestamp()}",
            sensitive=True,  # the link creates the space
        )
    log_action(None, Action.SELLER_SIGNUP_REQUESTED, data={"email": email, "account_exists": known}, ip=ip)


def seller_signup_details(token: str) -> dict | None:
    """What the sign-up link carries (names, address, language, organisation), or None when not valid."""
    try:
        return signing.loads(token, salt=SIGNUP_SALT, max_age=SIGNUP_LINK_DAYS * 86400)
    except signing.BadSignature:
        return None


@transaction.atomic
def register_seller(
    *, first_name, last_name, email, password, language, ip=None, **organisation
) -> Organisation:
    """Create the seller space (waiting for phone verification), its first admin, and sign them up."""
    email = email.strip().lower()
    if _has_account(email):
        raise ValidationError({"email": _("An account already uses this email address. Sign in instead.")})
    user = User.objects.create_user(
        username=email,
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        language=language,
    )
    org = Organisation.objects.create(
        slug=_unique_slug(organisation["name"]),
        commission_percent=settings.COMMISSION_PERCENT,
        commission_fixed=settings.COMMISSION_FIXED,
        commission_minimum=settings.COMMISSION_MINIMUM,
        commission_vat_rate=settings.COMMISSION_VAT_RATE,
        **organisation,
    )
    Membership.objects.create(organisation=org, user=user, role=Role.SELLER_ADMIN)
    hub_services.grant_role(actor=user, user=user, role=Role.SELLER_ADMIN)
    log_action(user, Action.SELLER_REGISTERED, org, {"email": email, "phone": org.contact_phone}, ip=ip)
    return org


class VerificationError(Exception):
    pass


def send_verification_code(*, actor, organisation: Organisation, ip: str) -> None:
    """Text a verification code to the space's contact phone (Twilio Verify or the console gateway) for the
    client at ``ip``."""
    require_manager(actor, organisation)
    if organisation.status != Organisation.Status.PENDING_VERIFICATION:
        raise VerificationError(_("This space is already verified."))
    now = timezone.now()
    if organisation.verification_sent_at and (
        now - organisation.verification_sent_at < timedelta(seconds=settings.VERIFICATION_RESEND_SECONDS)
    ):
        raise VerificationError(_("A code was sent less than a minute ago. Please wait before asking again."))
    if not ratelimit.hit("verify-send", str(organisation.pk), limit=CODE_SENDS_PER_HOUR, window=3600):
        raise VerificationError(_("Too many codes were sent. Try again in an hour or call our support."))
    try:
        sms.start_verification(to=organisation.contact_phone, ip=ip)
    except sms.SmsRefused as refused:
        raise VerificationError(refused.messages[0]) from refused
    except (TwilioException, OSError) as exc:
        raise VerificationError(
            _("We could not send the code just now. Please try again in a moment.")
        ) from exc
    Organisation.objects.filter(pk=organisation.pk).update(verification_sent_at=now)
    organisation.verification_sent_at = now
    log_action(actor, Action.SELLER_VERIFICATION_SENT, organisation, {"phone": organisation.contact_phone})


def check_verification_code(*, actor, organisation: Organisation, code: str) -> bool:
    """True (and the space is active) when the code is right."""
    require_manager(actor, organisation)
    if organisation.status != Organisation.Status.PENDING_VERIFICATION:
        raise VerificationError(_("This space is already verified."))
    result = sms.check_verification(to=organisation.contact_phone, code=code)
    log_action(actor, Action.SELLER_VERIFICATION_CHECKED, organisation, {"result": result.value})
    if result == sms.Verification.APPROVED:
        _activate(actor=actor, organisation=organisation, method="sms", note="")
        return True
    if result == sms.Verification.EXPIRED:
        raise VerificationError(_("This code has expired or was tried too often. Ask for a new one."))
    return False


def verify_by_call(*, actor, organisation: Organisation, note: str) -> None:
    """An operator confirms the phone number after calling it."""
    require_operator(actor)
    if organisation.status != Organisation.Status.PENDING_VERIFICATION:
        raise VerificationError(_("This space is already verified."))
    _activate(actor=actor, organisation=organisation, method="call", note=note)


@transaction.atomic
def _activate(*, actor, organisation, method, note):
    now = timezone.now()
    pending = Organisation.objects.filter(pk=organisation.pk, status=Organisation.Status.PENDING_VERIFICATION)
    if not pending.update(status=Organisation.Status.ACTIVE, verified_at=now, verification_method=method):
        raise VerificationError(_("This space is already verified."))  # by a request at the same time
    organisation.refresh_from_db()
    log_action(actor, Action.SELLER_VERIFIED, organisation, {"method": method, "note": note})
    send_after_commit(
        seller_activated,
        Organisation,
        organisation_id=organisation.pk,
        organisation_name=organisation.name,
        method=method,
        activated_at=now,
    )
    for admin in organisation.memberships.filter(role=Role.SELLER_ADMIN).select_related("user"):
        _email_member(
            admin.user,
            key=f"seller-activated:{organisation.pk}:{admin.user_id}",
            subject=gettext_lazy("Your Guichet seller space is active"),
            template="ticketing/emails/seller_activated.txt",
            context={"organisation": organisation, "url": settings.SITE_URL + reverse("ticketing:events")},
        )


@transaction.atomic
def suspend_seller(*, actor, organisation: Organisation, reason: str) -> None:
    require_operator(actor)
    before = organisation.status
    Organisation.objects.filter(pk=organisation.pk).update(
        status=Organisation.Status.SUSPENDED, suspended_reason=reason
    )
    log_action(actor, Action.SELLER_SUSPENDED, organisation, {"before": before, "reason": reason})
    organisation.refresh_from_db()


@transaction.atomic
def reactivate_seller(*, actor, organisation: Organisation) -> None:
    require_operator(actor)
    status = (
        Organisation.Status.ACTIVE if organisation.verified_at else Organisation.Status.PENDING_VERIFICATION
    )
    Organisation.objects.filter(pk=organisation.pk).update(status=status, suspended_reason="")
    log_action(actor, Action.SELLER_REACTIVATED, organisation, {"after": status})
    organisation.refresh_from_db()


@transaction.atomic
def set_commission_schedule(*, actor, organisation: Organisation, percent, fixed, minimum, vat_rate) -> None:
    """An operator gives a seller its own tariff; orders already paid keep the commission they had."""
    require_operator(actor)
    fields = ("commission_percent", "commission_fixed", "commission_minimum", "commission_vat_rate")
    before = {f: str(getattr(organisation, f)) for f in fields}
    for field, value in zip(fields, (percent, fixed, minimum, vat_rate), strict=True):
        setattr(organisation, field, value)
    organisation.save(update_fields=list(fields))
    log_action(
        actor,
        Action.SELLER_COMMISSION_CHANGED,
        organisation,
        {"before": before, "after": {f: str(getattr(organisation, f)) for f in fields}},
    )


@transaction.atomic
def set_currency(*, actor, organisation: Organisation, currency: str) -> None:
    """An operator changes what a seller space sells in, only while it has no order: amounts already
    written are never converted. Its events are locked, as every sale locks its event, so no sale slips
    in between the check and the change."""
    require_operator(actor)
    if currency not in Currency.values:
        raise ValidationError(_("Choose one of the currencies offered."))
    list(Event.objects.select_for_update().filter(organisation=organisation).values_list("pk"))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.currency == currency:
        return
    if organisation.orders.exists():
        raise ValidationError(_("This seller space has orders already: its currency can no longer change."))
    log_action(
        actor,
        Action.SELLER_CURRENCY_CHANGED,
        organisation,
        {"before": organisation.currency, "after": currency},
    )
    Organisation.objects.filter(pk=organisation.pk).update(currency=currency)


@transaction.atomic
def invite_member(*, actor, organisation: Organisation, email: str, role: str, language: str) -> Invitation:
    require_manager(actor, organisation)
    email = email.strip().lower()
    if role not in MEMBER_ROLES:
        raise ValidationError({"role": _("Choose one of the roles of the list.")})
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member.")})
    token = tokens.new_raw("")  # only its digest is stored: the link works from the invitee's mailbox only
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token_digest=tokens.digest(token),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    with translation.override(language):
        url = settings.SITE_URL + reverse("ticketing:invitation", args=[token])
        body = render_to_string(
            "ticketing/emails/invitation.txt",
            {"invitation": invitation, "url": url, "inviter": actor, "days": INVITATION_DAYS},
        )
        messaging.enqueue_email(
            to=email,
            subject=_("%(organisation)s invites you to Guichet") % {"organisation": organisation.name},
            body=body,
            idempotency_key=f"invitation:{invitation.pk}",
            sensitive=True,
        )
    log_action(actor, Action.MEMBER_INVITED, organisation, {"email": email, "role": role})
    return invitation


@transaction.atomic
def withdraw_invitation(*, actor, invitation: Invitation) -> None:
    require_manager(actor, invitation.organisation)
    if invitation.accepted_at:
        raise ValidationError(_("This invitation was already accepted."))
    log_action(
        actor, Action.MEMBER_INVITATION_WITHDRAWN, invitation.organisation, {"email": invitation.email}
    )
    invitation.delete()


def is_invited(user, invitation: Invitation) -> bool:
    """An invitation is bound to the address it was sent to: only the account with that address accepts it."""
    return bool(user.email) and user.email.strip().lower() == invitation.email.strip().lower()


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user) -> Membership:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.expires_at < timezone.now():
        raise ValidationError(_("This invitation has expired or was already used."))
    if not is_invited(user, invitation):
        raise ValidationError(
            _("This invitation is for %(email)s: sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    membership, _created = Membership.objects.update_or_create(
        organisation=invitation.organisation, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    hub_services.grant_role(actor=user, user=user, role=invitation.role)
    log_action(user, Action.MEMBER_JOINED, invitation.organisation, {"role": invitation.role})
    return membership


@transaction.atomic
def join_with_new_account(*, invitation: Invitation, token: str, first_name, last_name, password, language):
    """An invited person creates an account and joins in the same step, then signs in.

    The answer never tells whether the address already has an account: if it has one, nothing is created
    and its owner gets an email telling them to sign in to accept; otherwise the account is created, the
    invitation accepted, and the new member gets an email saying so. ``token`` is the invitation link's."""
    with translation.override(language):
        url = settings.SITE_URL + reverse("ticketing:invitation", args=[token])
    if _has_account(invitation.email):
        make_password(password)  # the same work as creating the account: the time taken tells nothing either
        template, key = "ticketing/emails/invitation_known.txt", f"invitation-known:{invitation.pk}"
    else:
        user = User.objects.create_user(
            username=invitation.email,
            email=invitation.email,
            password=password,
            first_name=first_name,
            last_name=last_name,
            language=language,
        )
        accept_invitation(invitation=invitation, user=user)
        template, key = "ticketing/emails/invitation_joined.txt", f"invitation-joined:{invitation.pk}"
    with translation.override(language):
        messaging.enqueue_email(
            to=invitation.email,
            subject=_("Your invitation to %(organisation)s") % {"organisation": invitation.organisation.name},
            body=render_to_string(template, {"invitation": invitation, "url": url}),
            idempotency_key=f"{key}:{timezone.now().timestamp()}",
            sensitive=True,  # the link accepts the invitation
        )


@transaction.atomic
def remove_member(*, actor, membership: Membership) -> None:
    organisation = membership.organisation
    require_manager(actor, organisation)
    admins = organisation.memberships.filter(role=Role.SELLER_ADMIN)
    if membership.role == Role.SELLER_ADMIN and admins.count() == 1:
        raise ValidationError(_("A seller space needs at least one admin."))
    membership.delete()
    if not Membership.objects.filter(user=membership.user, role=membership.role).exists():
        hub_services.revoke_role(actor=actor, user=membership.user, role=membership.role)
    log_action(actor, Action.MEMBER_REMOVED, organisation, {"user": membership.user.get_username()})


def _email_member(user, *, key, subject, template, context):
    with translation.override(user.language):
        messaging.enqueue_email(
            to=user.email, subject=str(subject), body=render_to_string(template, context), idempotency_key=key
        )
