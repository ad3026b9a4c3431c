"""The Content-Security-Policy in a real browser: walking the main pages of every kind of user, with their
scripts (htmx swaps and polling, the camera, pop-ups, self-sending forms), Chromium reports no violation —
and the same watch does see one when a page tries an inline handler."""

import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from helpcenter import demo as help_demo
from helpcenter.models import HelpArticlePage
from hub import demo as hub_demo
from statuspage import demo as status_demo
from statuspage.models import Subscriber
from ticketing import demo as ticketing_demo
from ticketing.models import Event, Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT = """document.addEventListener("securitypolicyviolation", function (event) {
  window.reportViolation(event.violatedDirective + " blocked " + (event.blockedURI || "inline")
    + " at " + event.sourceFile + ":" + event.lineNumber);
});"""


@pytest.fixture
def demo_site(settings, live_server):
    settings.SITE_URL = live_server.url
    settings.STATUS_NOTICE_POLL_SECONDS = 1
    settings.SCAN_ON_AIR_REFRESH_SECONDS = 2
    # The help centre first: it makes Wagtail's root page (gone if an earlier test flushed the database),
    # to which the demo operator's editing rights are attached.
    for module in (help_demo, hub_demo, ticketing_demo, status_demo):
        module.load(stdout=io.StringIO())
    return live_server.url


@pytest.fixture
def watched(open_page):
    """Pages whose every policy violation, policy console message and uncaught error lands in ``problems``."""
    problems = []

    def open_(**context_args):
        page = open_page(**context_args)
        page.context.expose_binding("reportViolation", lambda source, text: problems.append(text))
        page.context.add_init_script(REPORT)
        page.on(
            "console",
            lambda message: (
                problems.append(message.text)
                if re.search(r"Content.Security.Policy|Permissions.Policy", message.text, re.IGNORECASE)
                else None
            ),
        )
        page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
        return page

    open_.problems = problems
    return open_


def sign_in(page, url, username, password):
    page.goto(f"{url}/fr/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/fr/(backoffice|scan)/$"))


def test_the_main_pages_break_no_policy(watched, demo_site, camera, screenshot):
    url = demo_site
    jazz = Event.objects.get(slug="nuit-du-jazz")

    # A buyer: home, event, checkout, the demo bank, the confirmation and its ticket, status, help, API docs.
    buyer = watched(viewport={"width": 1280, "height": 900})
    buyer.goto(f"{url}/fr/")
    buyer.goto(f"{url}/fr/o/{jazz.organisation.slug}/{jazz.slug}/")
    buyer.locator(".ticket-row select").first.select_option("1")
    buyer.locator("#tickets button[type=submit]").click()
    buyer.fill("#id_email", "alice@example.org")
    buyer.fill("#id_email_again", "alice@example.org")
    buyer.fill("#id_first_name_0", "Alice")
    buyer.fill("#id_last_name_0", "Durand")
    buyer.locator("main form button[type=submit]").click()
    expect(buyer).to_have_url(re.compile(r"/demobank/pay/"))  # the POST's redirect passed form-action
    buyer.fill("#id_holder", "Alice Durand")
    buyer.fill("#id_number", "4242 4242 4242 4242")
    buyer.fill("#id_expiry", "12/30")
    buyer.fill("#id_cvc", "123")
    screenshot(buyer, "bank")
    buyer.locator("button[name=pay]").click()
    expect(buyer).to_have_url(re.compile(r"/fr/orders/"))
    ticket_link = buyer.locator("#order-card a[href^='/t/']")
    expect(ticket_link).to_have_count(1, timeout=15000)  # htmx polled until the bank's notification came
    ticket_link.click()
    expect(buyer.get_by_role("button", name="Imprimer")).to_be_visible()  # shown by guichet.js
    buyer.goto(f"{url}/fr/status/")
    expect(buyer.locator(".status-banner")).to_be_visible()
    screenshot(buyer, "status")
    article = HelpArticlePage.objects.live().filter(locale__language_code="fr").first()
    buyer.goto(f"{url}{article.url}")
    buyer.get_by_role("button", name="Oui").click()
    expect(buyer.locator(".help-feedback")).to_contain_text("Merci")
    subscriber = Subscriber.objects.create(
        channel="email", address="csp@example.org", confirmed_at=timezone.now()
    )
    buyer.goto(f"{url}/fr/status/subscriptions/{subscriber.token}/unsubscribe/")
    expect(buyer.locator("#unsubscribe h1")).not_to_have_text("Désabonnement…")  # it posted by itself
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None
    buyer.goto(f"{url}/api/docs")  # django-ninja's Swagger UI, from its own static files
    expect(buyer.locator(".swagger-ui .info .title")).to_contain_text("Guichet API", timeout=15_000)

    # The operator: the status back office, an incident previewed and published.
    operator = watched(viewport={"width": 1280, "height": 1000})
    sign_in(operator, url, "operator", "guichet-operator")
    operator.goto(f"{url}/fr/backoffice/status/")
    operator.goto(f"{url}/fr/backoffice/status/incidents/new/")
    operator.get_by_label("Titre").fill("Réservation en ligne lente")
    operator.get_by_label("Premier message").fill("Les achats en ligne prennent jusqu’à une minute.")
    operator.get_by_role("combobox", name="Réservation en ligne").select_option("degraded_performance")
    operator.get_by_role("button", name="Aperçu").click()
    expect(operator.locator("#preview")).to_contain_text("Les achats en ligne prennent jusqu’à une minute.")
    operator.get_by_role("button", name="Publier l’incident").click()
    expect(operator.get_by_text("L’incident est public.")).to_be_visible()

    # The demo seller: the dashboard and its pop-up, Scan-On-Air, the App-Scanner, the door page, the listing.
    seller = watched(viewport={"width": 1280, "height": 900}, permissions=["camera"])
    sign_in(seller, url, "seller", "guichet-seller")
    popup = seller.get_by_role("dialog", name="Réservation en ligne lente")
    expect(popup).to_be_visible(timeout=10_000)
    screenshot(seller, "dashboard-popup")
    popup.get_by_role("button", name="Compris").click()
    expect(popup).to_have_count(0)

    seller.goto(f"{url}/fr/backoffice/events/{jazz.pk}/entries/")
    first_update = seller.locator(".live").inner_text()
    expect(seller.locator(".live")).not_to_have_text(first_update, timeout=10_000)  # htmx refreshed it
    seller.locator("#refresh").select_option("30")  # the select sends its form by itself
    expect(seller).to_have_url(re.compile(r"refresh=30"))

    seller.goto(f"{url}/fr/scan/")
    expect(seller.locator("#camera-message")).to_be_hidden(timeout=10_000)  # the camera started
    ticket = Ticket.objects.filter(event=jazz, presence="absent").first()
    seller.fill("#scan-code", ticket.number)
    seller.get_by_role("button", name="Vérifier").click()
    expect(seller.locator("#scan-result .verdict[data-result=admitted]")).to_be_visible()
    screenshot(seller, "scanner")

    other = Ticket.objects.filter(event=jazz, presence="absent").exclude(pk=ticket.pk).first()
    seller.goto(f"{url}/t/{other.secret}/")  # the door page confirms with a POST by itself
    expect(seller.locator(".verdict[data-result=admitted]")).to_be_visible()

    seller.goto(f"{url}/fr/backoffice/events/{jazz.pk}/listing.html")
    expect(seller.get_by_role("button", name="Imprimer")).to_be_visible()
    assert seller.locator("td.tick").first.evaluate("cell => getComputedStyle(cell).width") == "14px"

    seller.goto(f"{url}/fr/backoffice/devices/")
    seller.get_by_label("Nom de l’appareil").fill("Porte nord")
    seller.get_by_role("button", name="Créer le jeton").click()
    revoke = seller.get_by_role("button", name="Révoquer")
    seller.once("dialog", lambda dialog: dialog.dismiss())
    revoke.click()
    expect(revoke).to_be_visible()  # refused in the confirmation: nothing sent
    seller.once("dialog", lambda dialog: dialog.accept())
    revoke.click()
    expect(seller.locator(".badge.failed")).to_be_visible()

    assert watched.problems == []


def test_the_watch_sees_a_blocked_inline_handler(watched, live_server):
    page = watched()
    page.goto(f"{live_server.url}/fr/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<img src=\"data:,\" onerror=\"x()\">')")
    page.wait_for_timeout(500)
    assert any("script-src" in problem for problem in watched.problems), watched.problems


def test_the_wagtail_admin_and_its_page_preview_work_under_their_policy(watched, demo_site):
    operator = watched(viewport={"width": 1280, "height": 900})
    sign_in(operator, demo_site, "operator", "guichet-operator")
    article = HelpArticlePage.objects.live().filter(locale__language_code="fr").first()
    operator.goto(f"{demo_site}/cms/")
    operator.goto(f"{demo_site}/cms/settings/helpcenter/supportsettings/")
    operator.goto(f"{demo_site}/cms/pages/{article.pk}/edit/")
    expect(operator.locator("form#page-edit-form")).to_be_visible()
    operator.locator("[data-side-panel-toggle=preview]").first.click()  # the page, framed by the editor
    preview = operator.frame_locator("#w-preview-iframe")
    expect(preview.get_by_role("heading", level=1)).to_have_text(article.title)
    operator.wait_for_load_state("networkidle")
    assert watched.problems == []
