"""Seller spaces: sign-up, phone verification, operator verification and suspension, members."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from hub.models import AuditEntry, ConsoleSms, OutboundMessage, Role, User
from ticketing.models import Invitation, Membership, Organisation
from ticketing.permissions import SellerNotActive
from ticketing.services import events as event_services
from ticketing.services import sellers

from ..helpers import make_user
from .factories import CategoryFactory, EventFactory, OrganisationFactory, seller_admin

SIGNUP = {
    "name": "Le Petit Théâtre",
    "legal_name": "Le Petit Théâtre SARL",
    "registration_number": "512 345 678 00021",
    "vat_number": "",
    "address": "5 rue des Arts",
    "postal_code": "1003",
    "city": "Lausanne",
    "country": "CH",
    "first_name": "Anne",
    "last_name": "Scène",
    "contact_email": "Anne@PetitTheatre.ch",
    "contact_phone": "079 123 45 67",
    "accept_terms": "on",
}
PASSWORD = "une-scène-magnifique"


def sign_up(client, data=SIGNUP, password=PASSWORD):
    """Fill in the sign-up form, open the link emailed to the address and choose the password."""
    assert client.post("/fr/sell/", data).status_code == 200
    body = OutboundMessage.objects.filter(recipient=data["contact_email"].lower()).latest("id").body
    link = re.search(r"(/\w\w/sell/confirm/[^/\s]+/)", body).group(1)
    return client.post(link, {"password1": password, "password2": password})


def last_code() -> str:
    return ConsoleSms.objects.filter(kind=ConsoleSms.Kind.VERIFICATION).first().body.rsplit(" ", 1)[-1]


@pytest.mark.django_db
def test_sign_up_creates_a_pending_space_and_texts_a_code(client):
    response = sign_up(client)
    assert response.status_code == 302 and response["Location"] == "/fr/backoffice/verification/"
    organisation = Organisation.objects.get()
    assert organisation.status == Organisation.Status.PENDING_VERIFICATION
    assert organisation.contact_phone == "+41791234567", "stored as E.164"
    user = User.objects.get(email="anne@petittheatre.ch")
    assert Membership.objects.filter(user=user, organisation=organisation, role="seller_admin").exists()
    assert user.role_assignments.filter(role=Role.SELLER_ADMIN).exists()
    sms = ConsoleSms.objects.get(kind=ConsoleSms.Kind.VERIFICATION)
    assert sms.to == "+41791234567"

    page = client.get("/fr/backoffice/").content.decode()
    assert "vérification" in page.lower()
    assert client.get("/fr/backoffice/verification/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("contact_phone", "12"),
        ("contact_email", "not-an-email"),
        ("accept_terms", ""),
    ],
)
def test_sign_up_refuses_bad_input_and_creates_nothing(client, field, value):
    response = client.post("/fr/sell/", {**SIGNUP, field: value})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not OutboundMessage.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("password1", "password2"), [(PASSWORD, "different-password-1"), ("short", "short")])
def test_sign_up_refuses_a_bad_password_and_creates_nothing(client, password1, password2):
    client.post("/fr/sell/", SIGNUP)
    link = re.search(r"(/fr/sell/confirm/[^/\s]+/)", OutboundMessage.objects.get().body).group(1)
    response = client.post(link, {"password1": password1, "password2": password2})
    assert response.status_code == 200 and response.context["form"].errors
    assert not Organisation.objects.exists() and not User.objects.exists()


@pytest.mark.django_db
def test_a_sign_up_link_that_was_tampered_with_creates_nothing(client):
    client.post("/fr/sell/", SIGNUP)
    link = re.search(r"(/fr/sell/confirm/[^/\s]+)/", OutboundMessage.objects.get().body).group(1)
    response = client.post(link[:-3] + "abc/", {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/fr/sell/"
    assert not Organisation.objects.exists() and not User.objects.exists()


def page_text(response, *variable) -> str:
    """A page's body with the values that differ by design (an address, a token) blanked out."""
    html = response.content.decode()
    for value in variable:
        html = html.replace(value, "…")
    return re.sub(r'"[A-Za-z0-9]{64}"', "csrf", html)  # the CSRF tokens, in forms and in the page's head


@pytest.mark.django_db
def test_sign_up_answers_the_same_whether_or_not_the_address_has_an_account(client):
    owner = make_user("anne", email="anne@petittheatre.ch")
    known = client.post("/fr/sell/", SIGNUP)
    unknown = client.post("/fr/sell/", {**SIGNUP, "contact_email": "new@petittheatre.ch"})
    assert known.status_code == unknown.status_code == 200
    assert page_text(known, "Anne@PetitTheatre.ch", "anne@petittheatre.ch") == page_text(
        unknown, "new@petittheatre.ch"
    )
    assert not Organisation.objects.exists(), "nothing is created before the address is confirmed"
    assert OutboundMessage.objects.filter(recipient="anne@petittheatre.ch").count() == 1, "the owner is told"
    assert OutboundMessage.objects.filter(recipient="new@petittheatre.ch").count() == 1
    owner.refresh_from_db()
    assert owner.check_password("correct-horse-battery") and not owner.memberships.exists()


@pytest.mark.django_db
def test_the_right_code_activates_the_space(client):
    sign_up(client)
    response = client.post(
        "/fr/backoffice/verification/", {"code": "000000" if last_code() != "000000" else "1"}
    )
    assert Organisation.objects.get().status == Organisation.Status.PENDING_VERIFICATION
    assert "Ce code est incorrect" in response.content.decode()
    response = client.post("/fr/backoffice/verification/", {"code": last_code()})
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert organisation.status == Organisation.Status.ACTIVE and organisation.verification_method == "sms"
    assert OutboundMessage.objects.filter(
        recipient="anne@petittheatre.ch", idempotency_key__startswith="seller-activated:"
    ).exists()


@pytest.mark.django_db
def test_codes_can_be_resent_only_after_a_cooldown(client, settings):
    sign_up(client)
    response = client.post("/fr/backoffice/verification/", {"resend": "1"}, follow=True)
    assert "moins d’une minute" in response.content.decode()
    assert ConsoleSms.objects.count() == 1
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        client.post("/fr/backoffice/verification/", {"resend": "1"})
    assert ConsoleSms.objects.count() == 2


@pytest.mark.django_db
def test_a_pending_seller_can_prepare_but_not_publish():
    organisation = OrganisationFactory(status=Organisation.Status.PENDING_VERIFICATION)
    seller = seller_admin(organisation)
    event = EventFactory(organisation=organisation, status="draft")
    CategoryFactory(event=event)
    with pytest.raises(SellerNotActive):
        event_services.publish_event(actor=seller, event=event)
    event.refresh_from_db()
    assert event.status == "draft"


@pytest.mark.django_db
def test_an_operator_verifies_after_a_call_and_it_is_audited(client, operator):
    organisation = OrganisationFactory(status=Organisation.Status.PENDING_VERIFICATION)
    client.force_login(operator)
    response = client.post(f"/fr/backoffice/sellers/{organisation.pk}/verify/", {"note": ""}, follow=True)
    assert "Indiquez à qui vous avez parlé" in response.content.decode()
    client.post(f"/fr/backoffice/sellers/{organisation.pk}/verify/", {"note": "Called, spoke to Anne, 14:05"})
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.ACTIVE and organisation.verification_method == "call"
    entry = AuditEntry.objects.get(action="seller.verified")
    assert entry.actor == operator and entry.data == {
        "method": "call",
        "note": "Called, spoke to Anne, 14:05",
    }


@pytest.mark.django_db
def test_only_operators_verify_by_call_or_suspend():
    organisation = OrganisationFactory(status=Organisation.Status.PENDING_VERIFICATION)
    seller = seller_admin(organisation)
    with pytest.raises(PermissionDenied):
        sellers.verify_by_call(actor=seller, organisation=organisation, note="me")
    with pytest.raises(PermissionDenied):
        sellers.suspend_seller(actor=seller, organisation=organisation, reason="x")
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.PENDING_VERIFICATION


@pytest.mark.django_db
def test_suspension_stops_sales_and_hides_the_organiser(client, operator):
    category = CategoryFactory()
    organisation = category.event.organisation
    sellers.suspend_seller(actor=operator, organisation=organisation, reason="Chargebacks")
    assert client.get(f"/fr/o/{organisation.slug}/").status_code == 404
    with pytest.raises(SellerNotActive):
        from ticketing.services import orders

        orders.place_order(
            event_id=category.event_id,
            buyer_email="a@b.fr",
            language="fr",
            seats=[orders.Seat(category.pk, "A", "B")],
        )
    sellers.reactivate_seller(actor=operator, organisation=organisation)
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.ACTIVE
    assert list(
        AuditEntry.objects.filter(target_id=str(organisation.pk)).values_list("action", flat=True)
    ) == ["seller.reactivated", "seller.suspended"]


@pytest.mark.django_db
def test_operator_pages_list_and_filter_seller_spaces(client, operator):
    OrganisationFactory(name="Pending Hall", status=Organisation.Status.PENDING_VERIFICATION)
    OrganisationFactory(name="Active Hall")
    client.force_login(operator)
    html = client.get("/fr/backoffice/sellers/?status=pending_verification").content.decode()
    assert "Pending Hall" in html and "Active Hall" not in html
    seller = seller_admin(OrganisationFactory(), username="outsider")
    client.force_login(seller)
    assert client.get("/fr/backoffice/sellers/").status_code == 403


@pytest.mark.django_db
def test_an_invited_member_joins_with_a_new_account(client):
    organisation = OrganisationFactory()
    admin = seller_admin(organisation)
    sellers.invite_member(
        actor=admin, organisation=organisation, email="Door@Example.org", role="door_staff", language="de"
    )
    message = OutboundMessage.objects.get(recipient="door@example.org")
    assert "lädt Sie" in message.body
    token = re.search(r"/invitations/([^/]+)/", message.body).group(1)
    response = client.post(
        f"/de/invitations/{token}/",
        {
            "first_name": "Dora",
            "last_name": "Tür",
            "password1": "ein-langes-passwort",
            "password2": "ein-langes-passwort",
        },
    )
    assert response.status_code == 200 and f"/de/accounts/login/?next=/de/invitations/{token}/" in (
        response.content.decode()
    )
    user = User.objects.get(email="door@example.org")
    assert Membership.objects.get(user=user).role == "door_staff"
    assert user.role_assignments.filter(role=Role.DOOR_STAFF).exists()
    assert Invitation.objects.get().accepted_at is not None
    assert client.get(f"/de/invitations/{token}/").status_code == 410, "an invitation works once"
    assert client.login(username="door@example.org", password="ein-langes-passwort")
    assert client.get(f"/de/invitations/{token}/")["Location"] == "/de/backoffice/", "signed in: at work"


def invite(organisation, email, role="door_staff") -> str:
    """Invite ``email`` and return the token of the link it receives."""
    sellers.invite_member(
        actor=organisation.memberships.get(role="seller_admin").user,
        organisation=organisation,
        email=email,
        role=role,
        language="fr",
    )
    body = OutboundMessage.objects.filter(recipient=email.lower()).latest("id").body
    return re.search(r"/invitations/([^/]+)/", body).group(1)


@pytest.mark.django_db
def test_an_invitation_token_is_stored_only_as_a_digest():
    from hub.tokens import digest

    organisation = OrganisationFactory()
    seller_admin(organisation)
    token = invite(organisation, "door@example.org")
    invitation = Invitation.objects.get()
    assert token not in str(Invitation.objects.values().get()), "the raw token is not in the database"
    assert invitation.token_digest == digest(token)


@pytest.mark.django_db
def test_an_invitation_is_accepted_only_by_the_invited_address(client):
    organisation = OrganisationFactory()
    seller_admin(organisation)
    token = invite(organisation, "door@example.org")
    intruder = make_user("intruder", email="intruder@example.org")
    client.force_login(intruder)
    response = client.post(f"/fr/invitations/{token}/")
    assert not Membership.objects.filter(user=intruder).exists()
    assert Invitation.objects.get().accepted_at is None
    assert "door@example.org" in response.content.decode()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        sellers.accept_invitation(invitation=Invitation.objects.get(), user=intruder)

    invited = make_user("dora", email="Door@Example.org")
    client.force_login(invited)
    client.post(f"/fr/invitations/{token}/")
    assert Membership.objects.get(user=invited).role == "door_staff"


@pytest.mark.django_db
def test_an_invitation_answers_the_same_whether_or_not_the_address_has_an_account(client):
    organisation = OrganisationFactory()
    seller_admin(organisation)
    owner = make_user("known", email="known@example.org")
    known, unknown = invite(organisation, "known@example.org"), invite(organisation, "new@example.org")
    pages = [client.get(f"/fr/invitations/{token}/") for token in (known, unknown)]
    assert page_text(pages[0], known, "known@example.org") == page_text(pages[1], unknown, "new@example.org")

    join = {"first_name": "Kim", "last_name": "Nown", "password1": "un-mot-de-passe-long"}
    join["password2"] = join["password1"]
    answers = [client.post(f"/fr/invitations/{token}/", join) for token in (known, unknown)]
    assert [a.status_code for a in answers] == [200, 200]
    assert page_text(answers[0], known, "known@example.org") == page_text(
        answers[1], unknown, "new@example.org"
    )
    owner.refresh_from_db()
    assert owner.check_password("correct-horse-battery"), "the existing account is unchanged"
    assert not Membership.objects.filter(user=owner).exists(), "the owner accepts after signing in"
    assert OutboundMessage.objects.filter(recipient="known@example.org").count() == 2, "and is told how"
    assert Membership.objects.get(user__email="new@example.org").role == "door_staff"


@pytest.mark.django_db
def test_the_last_admin_cannot_be_removed():
    organisation = OrganisationFactory()
    admin = seller_admin(organisation)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        sellers.remove_member(actor=admin, membership=admin.memberships.get())


@pytest.mark.django_db
def test_an_operator_sets_a_sellers_own_tariff_and_past_orders_keep_theirs(client, operator):
    from decimal import Decimal

    from ticketing.services import orders

    category = CategoryFactory(price=Decimal("100.00"))
    organisation = category.event.organisation
    first = orders.place_order(
        event_id=category.event_id,
        buyer_email="a@b.fr",
        language="fr",
        seats=[orders.Seat(category.pk, "A", "B")],
    )
    orders.confirm_paid(first, timezone.now())
    client.force_login(operator)
    client.post(
        f"/fr/backoffice/sellers/{organisation.pk}/commission/",
        {"percent": "2", "fixed": "0.30", "minimum": "0.80", "vat_percent": "8.1"},
    )
    organisation.refresh_from_db()
    assert (organisation.commission_percent, organisation.commission_vat_rate) == (
        Decimal("0.02"),
        Decimal("0.081"),
    )
    second = orders.place_order(
        event_id=category.event_id,
        buyer_email="a@b.fr",
        language="fr",
        seats=[orders.Seat(category.pk, "A", "B")],
    )
    orders.confirm_paid(second, timezone.now())
    first.refresh_from_db()
    assert first.commission_excl_vat == Decimal("1.75")
    assert second.commission_excl_vat == Decimal("2.30") and second.commission_vat == Decimal("0.19")
    assert AuditEntry.objects.filter(action="seller.commission_changed", actor=operator).exists()
    client.post(f"/fr/backoffice/sellers/{organisation.pk}/commission/", {"percent": "-1", "fixed": "x"})
    organisation.refresh_from_db()
    assert organisation.commission_percent == Decimal("0.02"), "bad input changes nothing"


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_links_already_sent_working():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from hub.tokens import digest

    before = [("ticketing", "0002_door")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    organisation = old.get_model("ticketing", "Organisation").objects.create(
        name="Old",
        slug="old",
        commission_percent=0,
        commission_fixed=0,
        commission_minimum=0,
        commission_vat_rate=0,
    )
    old.get_model("ticketing", "Invitation").objects.create(
        organisation=organisation,
        email="a@example.org",
        role="door_staff",
        token="sent-before",
        expires_at=timezone.now() + timedelta(days=1),
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Invitation.objects.get().token_digest == digest("sent-before")
