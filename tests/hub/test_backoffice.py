import pytest
from django.core.exceptions import PermissionDenied

from hub import messaging, navigation, services
from hub.audit import HubAction, log_action
from hub.models import AuditEntry, MessageStatus, OutboundMessage, Role
from hub.permissions import has_role, require_role, roles_of

from ..helpers import make_user

OPERATOR_PAGES = ["/fr/backoffice/outbox/", "/fr/backoffice/audit/", "/fr/backoffice/sms/"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.OPERATOR])
def test_only_operators_open_operator_pages(client, role):
    client.force_login(make_user("someone", role))
    for page in OPERATOR_PAGES:
        assert client.get(page).status_code == 403, page


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login(client):
    for page in ["/fr/backoffice/", *OPERATOR_PAGES]:
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith("/fr/accounts/login/?next=")


@pytest.mark.django_db
def test_operator_sees_every_operator_page(operator_client):
    for page in ["/fr/backoffice/", *OPERATOR_PAGES]:
        response = operator_client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        assert 'id="incident-slot"' in html, "every back-office page has the incident slot"
        assert "htmx.min.js" in html


@pytest.mark.django_db
def test_navigation_follows_roles():
    operator = make_user("op", Role.OPERATOR)
    door = make_user("door", Role.DOOR_STAFF)
    seller = make_user("seller", Role.SELLER_ADMIN)
    assert {"hub:outbox", "hub:audit"} <= {item.url_name for item in navigation.items_for(operator)}
    assert [item.url_name for item in navigation.items_for(door)] == ["ticketing:scanner"], "only scanning"
    seller_items = {item.url_name for item in navigation.items_for(seller)}
    assert "hub:dashboard" in seller_items and not seller_items & {"hub:outbox", "hub:audit"}


@pytest.mark.django_db
def test_door_staff_dashboard_shows_no_back_office_entry(client):
    client.force_login(make_user("door", Role.DOOR_STAFF))
    html = client.get("/fr/backoffice/").content.decode()
    assert "/backoffice/outbox/" not in html and "/backoffice/audit/" not in html


@pytest.mark.django_db
def test_role_helpers():
    user = make_user("agent", Role.SUPPORT_AGENT)
    assert roles_of(user) == {Role.SUPPORT_AGENT}
    assert has_role(user, Role.SUPPORT_AGENT, Role.OPERATOR)
    assert not has_role(user, Role.OPERATOR)
    with pytest.raises(PermissionDenied):
        require_role(user, Role.OPERATOR)
    superuser = make_user("root", is_superuser=True)
    assert has_role(superuser, Role.OPERATOR)
    inactive = make_user("gone", Role.OPERATOR, is_active=False)
    assert not has_role(inactive, Role.OPERATOR)


@pytest.mark.django_db
def test_granting_and_revoking_roles_is_audited(operator):
    user = make_user("bruno")
    assert services.grant_role(actor=operator, user=user, role=Role.BOX_OFFICE)
    assert not services.grant_role(actor=operator, user=user, role=Role.BOX_OFFICE)
    assert services.revoke_role(actor=operator, user=user, role=Role.BOX_OFFICE)
    entries = AuditEntry.objects.filter(target_id=str(user.pk)).order_by("id")
    assert [(e.action, e.actor_label, e.data) for e in entries] == [
        ("role.granted", "olivia", {"role": "box_office"}),
        ("role.revoked", "olivia", {"role": "box_office"}),
    ]


@pytest.mark.django_db
def test_outbox_page_filters_and_paginates(operator_client):
    for i in range(60):
        messaging.enqueue_email(to=f"u{i}@example.org", subject=f"s{i}", body="b", idempotency_key=f"k{i}")
    OutboundMessage.objects.filter(recipient="u7@example.org").update(status=MessageStatus.FAILED)

    page = operator_client.get("/fr/backoffice/outbox/").content.decode()
    assert page.count("<tr>") == 51  # header + 50 rows
    assert "Page 1 sur 2" in page

    partial = operator_client.get("/fr/backoffice/outbox/?status=failed", HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert "<html" not in html, "htmx gets the rows only"
    assert "u7@example.org" in html and "u8@example.org" not in html

    empty = operator_client.get("/fr/backoffice/outbox/?q=nobody").content.decode()
    assert "Aucun message ne correspond" in empty


@pytest.mark.django_db
def test_operator_retries_a_failed_message_from_its_page(operator_client, smtp):
    message = messaging.enqueue_email(to="a@example.org", subject="s", body="b", idempotency_key="k")
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.FAILED, attempts=15, last_error="boom"
    )

    page = operator_client.get(f"/fr/backoffice/outbox/{message.pk}/").content.decode()
    assert "boom" in page and "Renvoyer" in page
    response = operator_client.post(f"/fr/backoffice/outbox/{message.pk}/retry/")
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING and message.attempts == 0
    assert AuditEntry.objects.filter(action="outbox.retried", target_id=str(message.pk)).exists()

    # retrying something that is not failed changes nothing
    response = operator_client.post(f"/fr/backoffice/outbox/{message.pk}/retry/", follow=True)
    assert "Seuls les messages en échec" in response.content.decode()


@pytest.mark.django_db
def test_retry_is_refused_to_non_operators():
    agent = make_user("agent", Role.SUPPORT_AGENT)
    message = OutboundMessage.objects.create(
        channel="email", idempotency_key="k", recipient="a@b.c", status="failed"
    )
    with pytest.raises(PermissionDenied):
        services.retry_message(actor=agent, message_id=message.pk)
    message.refresh_from_db()
    assert message.status == "failed"


@pytest.mark.django_db
def test_retry_needs_a_post(operator_client):
    message = OutboundMessage.objects.create(
        channel="email", idempotency_key="k", recipient="a@b.c", status="failed"
    )
    assert operator_client.get(f"/fr/backoffice/outbox/{message.pk}/retry/").status_code == 405


@pytest.mark.django_db
def test_audit_log_records_and_filters(operator_client, operator):
    target = make_user("bruno")
    log_action(operator, "role.granted", target, {"role": "box_office"})
    log_action(None, HubAction.OUTBOX_RETRIED, data={"sent": 3})
    log_action("twilio", HubAction.SUPPRESSION_ADDED)

    entry = AuditEntry.objects.get(action="role.granted")
    assert (entry.actor, entry.target_type, entry.target_id) == (operator, "hub.user", str(target.pk))
    assert AuditEntry.objects.get(action="outbox.retried").actor_label == "system"

    def rows(query):  # the rows the filters leave (the htmx partial, without the select's options)
        return operator_client.get(f"/fr/backoffice/audit/?{query}", HTTP_HX_REQUEST="true").content.decode()

    html = rows("action=role.granted")
    assert "role.granted" in html and "outbox.retried" not in html
    html = rows("actor=twilio")
    assert "suppression.added" in html and "role.granted" not in html
    page = operator_client.get("/fr/backoffice/audit/").content.decode()
    assert "<optgroup" in page and 'value="order.paid"' in page and 'value="status.incident_created"' in page
    html = operator_client.get("/fr/backoffice/audit/?since=2030-01-02&until=2030-01-01").content.decode()
    assert "La date de début doit précéder la date de fin" in html


@pytest.mark.django_db
def test_console_sms_page_lists_what_was_recorded(operator_client):
    messaging.enqueue_sms(to="+33612345678", body="Code 123456", idempotency_key="s")
    messaging.deliver_due()
    assert "Code 123456" in operator_client.get("/fr/backoffice/sms/").content.decode()


@pytest.mark.django_db
def test_an_unregistered_audit_code_is_refused():
    with pytest.raises(ValueError, match="unregistered audit action"):
        log_action(None, "something.free_text")
    assert not AuditEntry.objects.exists()
