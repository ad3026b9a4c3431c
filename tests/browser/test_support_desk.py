"""The support desk's acceptance flow in a real browser, in German: a seller writes a request about the door
scanner (the side panel suggests an article and the open incident while they type), attaches a screenshot and
sends it; an agent finds it first in the queue, urgent with its reasons, and answers; the answer goes out by
email through the outbox; the seller escalates it; the account manager sees the pop-up in the back office.

Selectors are ids, names and values, not labels: the support desk's German texts are translated after merge.
Screenshots (desktop 1280×900, phone 390×844) go to ``SUPPORT_SHOTS`` (default /tmp/shots_support/)."""

import os
import re
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import formats, timezone, translation
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from escalation.hours import Calendar, line_for
from escalation.models import Escalation, SalesChannel, SupportRequest
from escalation.services.requests import Draft, submit_request
from escalation.templatetags.desk import translate_reason
from helpcenter.content import load_help_content
from hub.models import OutboundMessage, Role
from statuspage.models import Component
from statuspage.services import create_incident
from ticketing.models import Membership

from ..escalation.conftest import support_lines  # noqa: F401 - the fixture
from ..helpers import make_user
from ..ticketing.factories import OrganisationFactory
from .test_door import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SUPPORT_SHOTS", "/tmp/shots_support"))
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
ZURICH = ZoneInfo("Europe/Zurich")


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def next_working_morning() -> datetime:
    """10:00 in Zurich on the next working day of the Swiss line: support is open, whatever the real clock."""
    calendar = Calendar(line_for("CH"))
    day = timezone.now().astimezone(ZURICH).date() + timedelta(days=1)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, time(10), tzinfo=ZURICH)


def red_screenshot(path: Path) -> Path:
    image = Image.new("RGB", (360, 640), (200, 30, 30))
    ImageDraw.Draw(image).rectangle((40, 260, 320, 380), fill=(255, 255, 255))
    image.save(path, format="PNG")
    return path


@pytest.fixture
def desk(support_lines, live_server, settings):  # noqa: F811 - the imported fixture
    settings.SITE_URL = live_server.url
    settings.STATUS_NOTICE_POLL_SECONDS = 1
    load_help_content()
    manager = make_user("anna", Role.ACCOUNT_MANAGER, first_name="Anna", last_name="Keller", language="de")
    organisation = OrganisationFactory(name="Stadthalle Winterthur", country="CH", account_manager=manager)
    seller = make_user("kasse", Role.SELLER_ADMIN, first_name="Karin", last_name="Frei", language="de")
    seller.email = "kasse@stadthalle.example"
    seller.save(update_fields=["email"])
    Membership.objects.create(organisation=organisation, user=seller, role=Role.SELLER_ADMIN)
    agent = make_user("bruno", Role.SUPPORT_AGENT, first_name="Bruno", language="de")
    operator = make_user("olivia", Role.OPERATOR)
    door = Component.objects.create(
        slug="door-scanning", name_fr="Contrôle d’accès", name_de="Einlasskontrolle", name_en="Door scanning"
    )
    incident = create_incident(
        actor=operator,
        name="Scanner lehnen gültige Tickets ab",
        language="de",
        status="investigating",
        impact="major",
        body="Einige Scanner zeigen bei gültigen Tickets Rot. Wir untersuchen das.",
        components={door: "partial_outage"},
        notify=False,
    )
    # Two requests from other customers that came in earlier and are due earlier, but are not urgent.
    other = OrganisationFactory(name="Kellertheater", country="CH")
    for subject in ("Rechnung für Oktober", "Frage zum Sitzplan"):
        submit_request(
            requester=None,
            organisation_id=None,
            draft=Draft(
                email="info@kellertheater.example",
                name="Kellertheater",
                subject=subject,
                body="Können Sie uns bitte weiterhelfen? Vielen Dank.",
                language="de",
                country="CH",
                channels=[SalesChannel.PAYOUTS],
            ),
        )
    return {"seller": seller, "manager": manager, "agent": agent, "incident": incident, "other": other}


def test_a_seller_asks_an_agent_answers_the_seller_escalates_and_the_manager_is_told(
    open_page, live_server, desk, tmp_path
):
    with time_machine.travel(next_working_morning(), tick=True):
        run_the_flow(open_page, live_server, desk, tmp_path)


def run_the_flow(open_page, live_server, desk, tmp_path):
    url = live_server.url
    incident = desk["incident"]

    # 1. The seller writes the request; the side panel answers while they type.
    seller = open_page(viewport=DESKTOP, locale="de-DE")
    sign_in(seller, live_server, "kasse")
    seller.goto(f"{url}/de/support/new/")
    expect(seller.locator("#id_organisation")).to_contain_text("Stadthalle Winterthur")
    seller.fill("#id_subject", "Scanner zeigt bei jedem Ticket Rot")
    seller.fill(
        "#id_body",
        "Seit einer Viertelstunde zeigt der Scanner am Haupteingang bei jedem Ticket Rot an, auch bei "
        "Tickets, die heute gekauft wurden. Niemand kommt mehr rein, draussen wartet eine lange Schlange.",
    )
    panel = seller.locator("#deflection")
    article = panel.locator("a[href*='/de/support/new/help/']").first
    expect(article).to_be_visible(timeout=10_000)
    expect(panel).not_to_contain_text(incident.name)  # no channel ticked yet: no incident
    seller.locator("input[name=channels][value=door_scanning]").check()
    expect(panel.get_by_role("link", name=incident.name)).to_be_visible(timeout=10_000)
    expect(panel.locator(f"a[href$='/status/incidents/{incident.code}/']")).to_have_count(1)
    seller.set_input_files("#id_files", str(red_screenshot(tmp_path / "scanner-rot.png")))
    shot(seller, "1-seller-form-desktop")
    body_box, panel_box = seller.locator("#id_body").bounding_box(), panel.bounding_box()
    assert panel_box["x"] > body_box["x"] + body_box["width"], "on a wide screen the panel is a side column"
    seller.set_viewport_size(PHONE)
    shot(seller, "1-seller-form-phone")
    body_box, panel_box = seller.locator("#id_body").bounding_box(), panel.bounding_box()
    channels_box = seller.locator("input[name=channels]").first.bounding_box()
    assert body_box["y"] + body_box["height"] <= panel_box["y"] < channels_box["y"], "right after the text"
    assert panel_box["width"] >= 300, "readable on a phone"
    seller.set_viewport_size(DESKTOP)

    seller.locator("form.support-form button[type=submit]").click()
    expect(seller).to_have_url(re.compile(r"/de/support/sent/"))
    request = SupportRequest.objects.get(subject="Scanner zeigt bei jedem Ticket Rot")
    assert request.urgent and request.language == "de" and request.channels == ["door_scanning"]
    assert any(incident.code in reason for reason in request.reasons), request.reasons
    assert [a.name for a in request.attachments.all()] == ["scanner-rot.png"]
    sent = seller.locator("main")
    expect(sent.locator("h1")).to_contain_text(request.reference)
    expect(sent.locator(".badge.urgent")).to_be_visible()
    for reason in request.reasons:  # the rules' output is for agents, not for the requester
        expect(sent).not_to_contain_text(reason)
    with translation.override("de"):
        reasons = [translate_reason(reason) for reason in request.reasons]  # as agents read them
    with translation.override("de"):
        due = formats.date_format(timezone.localtime(request.first_response_due), "DATETIME_FORMAT")
    expect(sent).to_contain_text(due)  # support is open: the first answer is due then
    expect(sent).to_contain_text("kasse@stadthalle.example")  # where the answer will come
    shot(seller, "1-seller-sent")

    # 2. The agent finds it first in the queue, urgent with its reasons, and answers.
    agent = open_page(viewport=DESKTOP, locale="de-DE")
    sign_in(agent, live_server, "bruno")
    agent.goto(f"{url}/de/backoffice/support/")
    incident_popup = agent.get_by_role("dialog", name=incident.name)  # support staff are told of it too
    expect(incident_popup).to_be_visible(timeout=10_000)
    shot(agent, "2-agent-queue-incident-popup")
    incident_popup.locator("button[type=submit]").click()
    expect(incident_popup).to_have_count(0)
    rows = agent.locator("table tbody tr")
    expect(rows).to_have_count(3)
    first = rows.first
    expect(first).to_contain_text(request.subject)
    expect(first).to_contain_text(request.reference)
    expect(first.locator(".badge.urgent")).to_be_visible()
    for reason in reasons:
        expect(first).to_contain_text(reason)
    shot(agent, "2-agent-queue")
    first.get_by_role("link", name=request.subject).click()
    expect(agent).to_have_url(re.compile(rf"/de/backoffice/support/{request.reference}/$"))
    expect(agent.locator("h1")).to_have_text(request.subject)
    for reason in reasons:
        expect(agent.locator(".page-head")).to_contain_text(reason)
    expect(agent.locator("main")).to_contain_text("Anna Keller")  # the account manager, in the side panel
    expect(agent.locator("main a", has_text="scanner-rot.png")).to_be_visible()
    shot(agent, "2-agent-request-desktop")
    agent.set_viewport_size(PHONE)
    shot(agent, "2-agent-request-phone")
    agent.set_viewport_size(DESKTOP)
    answer = (
        "Guten Tag Frau Frei, bitte schliessen Sie die Scanner-Seite und öffnen Sie sie neu; "
        "die Tickets werden danach wieder grün angezeigt."
    )
    reply_form = agent.locator("form:has(input[name=action][value=reply])")
    reply_form.locator("textarea[name=body]").fill(answer)
    reply_form.locator("button[type=submit]").click()
    expect(agent.locator(".timeline")).to_contain_text("wieder grün angezeigt")
    expect(agent.locator("form:has(input[name=action][value=status]) select")).to_have_value("waiting")
    expect(agent.locator("form:has(input[name=action][value=assign]) select")).to_have_value(
        str(desk["agent"].pk)
    )
    shot(agent, "2-agent-replied")

    # 3. The answer goes out by email (the outbox, delivered after commit by the real task).
    email = OutboundMessage.objects.get(
        recipient="kasse@stadthalle.example", channel="email", idempotency_key__startswith="support-reply:"
    )
    assert "wieder grün angezeigt" in email.body and request.reference in email.subject
    assert email.status == "sent", email.status
    (delivered,) = [m for m in mail.outbox if m.subject == email.subject]
    assert delivered.to == ["kasse@stadthalle.example"] and "wieder grün angezeigt" in delivered.body

    # The seller opens the request and escalates it.
    seller.goto(f"{url}/de/support/requests/{request.reference}/")
    expect(seller.locator("main .timeline")).to_contain_text("wieder grün angezeigt")
    escalate = seller.locator("form:has(input[name=action][value=escalate])")
    escalate.locator("textarea[name=reason]").fill(
        "Der Neustart hilft nicht, die Vorstellung beginnt in einer Stunde und 800 Gäste warten."
    )
    escalate.locator("button[type=submit]").click()
    expect(seller.locator("form:has(input[name=action][value=escalate])")).to_have_count(0)
    shot(seller, "3-seller-escalated")
    escalation = Escalation.objects.get(request=request)
    assert escalation.manager == desk["manager"] and escalation.by == desk["seller"]

    # 4. The account manager signs in to the back office: the pop-up names the request.
    manager = open_page(viewport=DESKTOP, locale="de-DE")
    sign_in(manager, live_server, "anna")
    manager.goto(f"{url}/de/backoffice/")
    popup = manager.locator("#incident-slot .notice-popup[role=dialog]").filter(has_text=request.subject)
    expect(popup).to_be_visible(timeout=10_000)
    expect(manager.get_by_role("dialog", name=incident.name)).to_be_visible()  # the incident's, beneath
    expect(popup).to_contain_text("Stadthalle Winterthur")
    expect(popup).to_contain_text("800 Gäste warten")
    expect(popup.get_by_role("link", name=request.subject)).to_have_attribute(
        "href", f"/de/backoffice/support/{request.reference}/"
    )
    shot(manager, "4-manager-popups")
    popup.locator("button[type=submit]").click()  # on top of the incident's pop-up, it takes the click
    expect(popup).to_have_count(0)
    escalation.refresh_from_db()
    assert escalation.seen_at is not None
    manager.get_by_role("dialog", name=incident.name).locator("button[type=submit]").click()
    expect(manager.locator(".notice-popup")).to_have_count(0)
    manager.goto(f"{url}/de/backoffice/support/{request.reference}/")
    expect(manager.locator("#incident-slot .notice-slot")).to_have_count(2)  # both slots loaded
    expect(manager.locator(".notice-popup")).to_have_count(0)  # seen: it does not come back
    expect(manager.locator("main")).to_contain_text("800 Gäste warten")  # the escalation card
    shot(manager, "4-manager-request")
