"""Operators keep the on-call rota; shifts do not overlap and need reachable mobiles."""

from datetime import timedelta

import pytest
from django.utils import timezone

from escalation.models import OnCallShift
from hub.models import AuditEntry, Role
from tests.helpers import make_user

pytestmark = pytest.mark.django_db
URL = "/fr/backoffice/support/on-call/"


def shift_form(user, backup, start, hours=12, **extra):
    fmt = "%Y-%m-%dT%H:%M"
    local = timezone.localtime(start)
    return {
        "user": user.pk,
        "backup": backup.pk,
        "starts_at": local.strftime(fmt),
        "ends_at": (local + timedelta(hours=hours)).strftime(fmt),
        **extra,
    }


def test_operators_add_and_delete_shifts_without_overlap(client, operator):
    agent = make_user("astreinte", Role.SUPPORT_AGENT, mobile="+41791110001")
    backup = make_user("renfort", Role.SUPPORT_AGENT, mobile="+41791110002")
    client.force_login(operator)
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(hours=1)
    assert client.post(URL, shift_form(agent, backup, start)).status_code == 302
    shift = OnCallShift.objects.get()
    assert (shift.phone, shift.backup_phone) == ("+41791110001", "+41791110002")
    overlapping = client.post(URL, shift_form(backup, agent, start + timedelta(hours=6)))
    assert overlapping.status_code == 400 and OnCallShift.objects.count() == 1
    same_person = client.post(URL, shift_form(agent, agent, start + timedelta(days=1)))
    assert same_person.status_code == 400
    assert agent.username in client.get(URL).content.decode()
    client.post(URL, {"delete": shift.pk})
    assert not OnCallShift.objects.exists()
    assert AuditEntry.objects.filter(action__in=["support.shift_saved", "support.shift_deleted"]).count() == 2


def test_a_shift_needs_mobiles_and_only_operators_keep_the_rota(client, operator):
    agent = make_user("astreinte", Role.SUPPORT_AGENT)
    backup = make_user("renfort", Role.SUPPORT_AGENT)
    client.force_login(operator)
    start = timezone.now() + timedelta(hours=1)
    assert client.post(URL, shift_form(agent, backup, start)).status_code == 400
    assert (
        client.post(
            URL, shift_form(agent, backup, start, phone="+41791110001", backup_phone="+41791110002")
        ).status_code
        == 302
    )
    client.force_login(agent)
    assert client.get(URL).status_code == 403
