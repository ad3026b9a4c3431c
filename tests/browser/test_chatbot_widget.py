"""The assistant's widget in a real browser (issue 14, item 5): on the English help centre a reader opens it,
gets an FAQ answer with its article link, asks about the status (an incident is open on the till), asks for a
person and is walked through the handoff to a support request whose reference is shown — on a desktop and on
a 390 px phone. Also: keyboard use (focus in and back, Escape), the conversation kept across page loads, the
launcher on the status page and in the back office, and the plain links without JavaScript.

Screenshots go to ``CHATBOT_SHOTS`` (default /tmp/shots_chatbot/)."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from escalation.models import SupportRequest
from helpcenter.content import load_help_content
from hub.models import Role
from statuspage.models import Component
from statuspage.services import create_incident

from ..escalation.conftest import support_lines  # noqa: F401 - the fixture
from ..helpers import make_user
from .test_door import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("CHATBOT_SHOTS", "/tmp/shots_chatbot"))
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def shot(page, name, full_page=False):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


@pytest.fixture
def helpdesk(support_lines, live_server, settings):  # noqa: F811 - the imported fixture
    settings.SITE_URL = live_server.url
    load_help_content()
    operator = make_user("olivia", Role.OPERATOR)
    till = Component.objects.create(
        slug="pos", name_fr="Caisse (POS)", name_de="Kasse (POS)", name_en="Till (POS)"
    )
    Component.objects.create(
        slug="door-scanning", name_fr="Contrôle d’accès", name_de="Einlass", name_en="Door scanning"
    )
    incident = create_incident(
        actor=operator,
        name="Tills freeze when paying by card",
        language="en",
        status="investigating",
        impact="major",
        body="Some tills stop responding when a card payment starts. We are looking into it.",
        components={till: "partial_outage"},
        notify=False,
    )
    return {"incident": incident, "operator": operator}


@pytest.fixture
def errors(open_page):
    """Pages whose uncaught script errors land in ``errors.seen``."""
    seen = []

    def open_(**context_args):
        page = open_page(**context_args)
        page.on("pageerror", lambda error: seen.append(str(error)))
        return page

    open_.seen = seen
    return open_


def bot_messages(page):
    return page.locator("#chatbot .chatbot-log .chatbot-bot")


def ask(page, text):
    """Type a message and send it with Enter; wait for the answer (the typing state comes and goes)."""
    before = bot_messages(page).count()
    page.get_by_label("Your message").fill(text)
    page.get_by_label("Your message").press("Enter")
    expect(page.locator("#chatbot .chatbot-user").last).to_have_text(re.compile(re.escape(text)))
    expect(bot_messages(page)).not_to_have_count(before, timeout=10_000)
    expect(page.locator("#chatbot [data-chatbot-typing]")).to_have_text("")
    return bot_messages(page).last


def press(page, title):
    """Click one of the latest answer's buttons: its title is shown as the user's message."""
    before = bot_messages(page).count()
    page.locator("#chatbot .chatbot-buttons button:enabled", has_text=title).first.click()
    expect(page.locator("#chatbot .chatbot-user").last).to_have_text(re.compile(re.escape(title)))
    expect(bot_messages(page)).not_to_have_count(before, timeout=10_000)
    return bot_messages(page).last


def run_the_flow(page, url, name, confirm_by_button):
    page.goto(f"{url}/en/help/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    launcher = page.get_by_role("button", name="Questions? Ask us")
    expect(launcher).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    shot(page, f"{name}-0-closed")

    # Keyboard only: Enter on the launcher opens the panel with the focus in the input; Escape closes it and
    # the focus goes back to the launcher.
    launcher.focus()
    page.keyboard.press("Enter")
    panel = page.get_by_role("dialog", name="Guichet assistant")
    expect(panel).to_be_visible()
    expect(page.get_by_label("Your message")).to_be_focused()
    # (on a phone the panel covers the whole screen and the launcher is hidden under it)
    expect(page.locator("#chatbot [data-chatbot-launcher]")).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("log")).to_have_attribute("aria-live", "polite")
    expect(bot_messages(page).first).to_contain_text("Hello", timeout=30_000)  # the greeting, in English
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(launcher).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Your message")).to_be_focused()
    if page.viewport_size["width"] <= 390:
        box = panel.bounding_box()
        assert box["x"] == 0 and box["width"] == page.viewport_size["width"], box

    # FAQ: the article's short answer and its link in English.
    answer = ask(page, "how do I refund an order?")
    article_link = answer.get_by_role("link").first
    expect(article_link).to_have_attribute("href", re.compile(rf"^{re.escape(url)}/en/help/.+"))
    expect(article_link).to_contain_text(re.compile("refund", re.IGNORECASE))
    shot(page, f"{name}-1-faq")

    # Status: the open incident on the till, with its latest update and a link to its page.
    ask(page, "is the till down?")
    log = page.get_by_role("log")
    expect(log).to_contain_text("Tills freeze when paying by card")
    expect(log).to_contain_text("Some tills stop responding")
    expect(log.get_by_role("link", name="Details")).to_have_attribute("href", re.compile(r"/status/"))
    shot(page, f"{name}-2-status")

    # Handoff: description, channel (a button), references ("None"), email, the summary confirmed.
    ask(page, "I want to talk to a human")
    expect(bot_messages(page).last).to_contain_text("What happens, where, and since when?")
    question = ask(page, "Our seating plan for the autumn concert cannot be saved since yesterday evening.")
    expect(question).to_contain_text("Which sales channel is affected?")
    shot(page, f"{name}-3-channels")
    press(page, "Other")
    expect(bot_messages(page).last).to_contain_text("booking references")
    press(page, "None")
    expect(bot_messages(page).last).to_contain_text("Which email address")
    summary = ask(page, "alice@example.org")
    expect(summary).to_contain_text("Here is what I will send to support:")
    expect(summary).to_contain_text("Answer to: alice@example.org")
    shot(page, f"{name}-4-summary")
    done = press(page, "Yes, send it") if confirm_by_button else ask(page, "Yes")
    request = SupportRequest.objects.get(requester_email="alice@example.org")
    expect(done).to_contain_text(request.reference)
    assert re.fullmatch(r"SR-[A-Z0-9]+", request.reference)
    expect(done).to_have_attribute("data-request", request.reference)
    assert "seating plan" in request.body
    assert request.transcript  # the conversation went with the request
    expect(page.get_by_label("Your message")).to_be_focused()
    shot(page, f"{name}-5-reference")

    # The conversation survives a page load in the tab (the sender id and the history in sessionStorage).
    page.reload()
    launcher = page.get_by_role("button", name="Questions? Ask us")
    launcher.click()
    expect(page.get_by_role("log")).to_contain_text(request.reference)
    expect(page.get_by_role("log")).to_contain_text("how do I refund an order?")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    page.get_by_role("button", name="Close the assistant").click()
    expect(launcher).to_be_focused()
    return request


def test_on_the_english_help_centre_faq_status_and_handoff_to_a_reference(errors, live_server, helpdesk):
    page = errors(viewport=DESKTOP, locale="en-GB")
    request = run_the_flow(page, live_server.url, "desktop", confirm_by_button=False)
    assert request.language == "en"
    assert request.country == "UK"  # the browser's region (en-GB), sent as metadata.country, the UK line
    assert errors.seen == []


def test_the_same_flow_on_a_phone(errors, live_server, helpdesk):
    page = errors(viewport=PHONE, locale="fr-CH", is_mobile=True, has_touch=True)
    request = run_the_flow(page, live_server.url, "phone", confirm_by_button=True)
    assert request.language == "en"  # the page's language, though the browser speaks French
    assert request.country == "CH"
    assert errors.seen == []


def test_the_launcher_is_on_the_status_page_and_in_the_back_office(errors, live_server, helpdesk):
    url = live_server.url
    page = errors(viewport=DESKTOP)
    page.goto(f"{url}/de/status/")
    expect(page.get_by_role("button", name=re.compile("Fragen|Questions"))).to_be_visible()
    page.get_by_role("button", name=re.compile("Fragen|Questions")).click()
    expect(page.get_by_label(re.compile("Ihre Nachricht|Your message"))).to_be_focused()
    shot(page, "status-de")

    make_user("sam", Role.SUPPORT_AGENT)
    staff = errors(viewport=DESKTOP)
    sign_in(staff, live_server, "sam")
    expect(staff).to_have_url(re.compile(r"/fr/backoffice/"))
    staff.goto(f"{url}/fr/backoffice/")
    launcher = staff.locator("#chatbot [data-chatbot-launcher]")
    expect(launcher).to_be_visible()
    incident = staff.get_by_role("dialog", name="Tills freeze when paying by card")  # the incident pop-up
    incident.get_by_role("button").first.click()
    expect(incident).to_have_count(0)
    launcher.click()
    expect(staff.locator("#chatbot .chatbot-bot").first).to_be_visible(timeout=10_000)
    shot(staff, "backoffice-fr")
    assert errors.seen == []


def test_without_javascript_the_widget_is_links_to_the_help_centre_and_the_contact_page(
    open_page, live_server, helpdesk
):
    page = open_page(viewport=PHONE, java_script_enabled=False)
    page.goto(f"{live_server.url}/en/help/")
    links = page.get_by_role("complementary", name="Assistant").get_by_role("link")
    expect(links).to_have_count(2)
    expect(page.locator("#chatbot [data-chatbot-launcher]")).to_be_hidden()
    shot(page, "nojs-phone")
    links.nth(1).click()
    expect(page).to_have_url(f"{live_server.url}/en/help/contact/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact us")


def test_a_refused_or_failed_call_is_said_politely(errors, live_server, helpdesk):
    page = errors(viewport=PHONE)
    page.route(
        "**/webhooks/rest/webhook",
        lambda route: route.fulfill(status=429, json={"detail": "Too many messages: please wait a minute."}),
    )
    page.goto(f"{live_server.url}/en/help/")
    page.get_by_role("button", name="Questions? Ask us").click()
    expect(page.get_by_role("alert")).to_have_text(re.compile("Too many messages: please wait a minute."))
    page.unroute("**/webhooks/rest/webhook")
    page.route("**/webhooks/rest/webhook", lambda route: route.abort())
    page.get_by_label("Your message").fill("is the till down?")
    page.get_by_label("Your message").press("Enter")
    expect(page.get_by_role("alert").last).to_contain_text("cannot be reached right now")
    expect(page.get_by_role("button", name="Send")).to_be_enabled()
    shot(page, "phone-error")
    assert errors.seen == []
