"""Content-Security-Policy and Permissions-Policy on every kind of page, and templates that need neither
inline script nor inline style (the policy allows none)."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from hub import services as hub_services
from hub.models import Role
from ticketing import listings
from ticketing.models import Membership

from ..helpers import make_user
from ..ticketing.factories import CategoryFactory, OrganisationFactory, seller_admin

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def permissions(response) -> dict[str, str]:
    return dict(item.strip().split("=", 1) for item in response.headers["Permissions-Policy"].split(","))


def assert_strict(response):
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_a_public_page_gets_the_strict_policy(client):
    response = client.get("/fr/")
    assert response.status_code == 200
    assert_strict(response)


def test_a_back_office_page_gets_the_strict_policy(operator_client):
    response = operator_client.get("/fr/backoffice/")
    assert response.status_code == 200
    assert_strict(response)


def test_the_ready_made_status_page_gets_the_strict_policy(client):
    for accept_encoding in ("gzip", ""):
        response = client.get("/fr/status/", headers={"accept-encoding": accept_encoding})
        assert response.status_code == 200
        assert_strict(response)
        assert permissions(response)["camera"] == "()"


def test_the_wagtail_admin_alone_may_run_inline_script_and_style(client):
    editor = make_user("olivia")
    hub_services.grant_role(actor="test", user=editor, role=Role.OPERATOR)  # which lets into the admin
    client.force_login(editor)
    response = client.get("/cms/")
    assert response.status_code == 200
    directives = policy(response)
    assert directives["script-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["frame-ancestors"] == ["'self'"]  # its page preview is a frame of its own
    assert directives["object-src"] == ["'none'"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]


def test_a_normal_page_may_use_no_camera_microphone_or_location(client):
    features = permissions(client.get("/fr/"))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"


def test_the_app_scanner_alone_may_open_the_camera(client):
    door = make_user("dora", Role.DOOR_STAFF)
    Membership.objects.create(organisation=OrganisationFactory(), user=door, role="door_staff")
    client.force_login(door)
    response = client.get("/fr/scan/")
    assert response.status_code == 200
    assert permissions(response)["camera"] == "(self)"
    assert permissions(response)["microphone"] == "()"
    assert permissions(client.get("/fr/backoffice/"))["camera"] == "()"


def test_the_served_listing_may_apply_its_own_stylesheet_and_no_other(client):
    category = CategoryFactory()
    client.force_login(seller_admin(category.event.organisation))
    response = client.get(f"/fr/backoffice/events/{category.event_id}/listing.html")
    nonce = re.search(r'<style nonce="([^"]+)">', response.content.decode())[1]
    assert policy(response)["style-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert policy(response)["script-src"] == ["'self'"]
    second = client.get(f"/fr/backoffice/events/{category.event_id}/listing.html").content.decode()
    assert f'nonce="{nonce}"' not in second, "a nonce serves one response"
    assert "<style>" in listings.html(category.event), "the e-mailed file keeps its style, with no nonce"


def test_the_api_docs_need_no_inline_script_nor_another_site(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert_strict(response)
    parser = InlineCode()
    parser.feed(response.content.decode())
    assert parser.problems == []
    assert "https://" not in response.content.decode()  # Swagger UI comes from django-ninja's static files


# --- Templates --------------------------------------------------------------------------------------------


class InlineCode(HTMLParser):
    """Collects what a policy without 'unsafe-inline' would block in an HTML template."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        line = self.getpos()[0]
        if tag == "script" and "src" not in attributes and attributes.get("type") != "application/json":
            self.problems.append(f"line {line}: inline <script>")
        if tag == "style" and "nonce" not in attributes:  # a nonce: the view allows that one block
            self.problems.append(f"line {line}: <style> block")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"line {line}: {name}= handler")
            if name == "style":
                self.problems.append(f"line {line}: style= attribute")
            if value and re.match(r"\s*javascript:", value, re.IGNORECASE):
                self.problems.append(f"line {line}: javascript: URL in {name}=")


def web_templates():
    """Every HTML template a browser shows; emails are read in mail clients, where CSS must be inline."""
    return sorted(
        path for path in TEMPLATES.rglob("*.html") if "emails" not in path.relative_to(TEMPLATES).parts
    )


def test_the_walk_finds_the_templates():
    names = {str(path.relative_to(TEMPLATES)) for path in web_templates()}
    assert {"base.html", "demobank/pay.html", "ticketing/door/scanner.html"} <= names
    assert "ticketing/emails/tickets.html" not in names


@pytest.mark.parametrize("path", web_templates(), ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_no_template_has_inline_script_handler_or_style(path):
    source = path.read_text()
    # Template tags may sit inside a tag's attributes: blank them so that the parser reads the HTML around.
    parser = InlineCode()
    parser.feed(re.sub(r"{%.*?%}|{#.*?#}", " ", source, flags=re.DOTALL))
    parser.close()
    assert parser.problems == []


def test_the_walk_catches_each_kind_of_inline_code():
    parser = InlineCode()
    parser.feed(
        '<script>alert(1)</script><script type="application/json">{}</script><script src="/a.js"></script>'
        '<button onclick="go()">x</button><a href="JavaScript:go()">y</a><p style="margin:0"></p>'
        '<style>p{}</style><style nonce="{{ nonce }}">p{}</style>'
    )
    assert [problem.split(": ", 1)[1] for problem in parser.problems] == [
        "inline <script>",
        "onclick= handler",
        "javascript: URL in href=",
        "style= attribute",
        "<style> block",
    ]
