"""Two-factor sign-in in the browser: an operator required to use it enrols, then signs in with a code.

Codes are computed from the key the page shows, as an authenticator app would."""

import base64
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import zxingcpp
from django_otp.oath import totp
from PIL import Image
from playwright.sync_api import expect

from hub.models import Role

from ..helpers import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code(key: str, steps_ahead: int = 0) -> str:
    """The app's code now, or ``steps_ahead`` 30-second steps later (a code is accepted once, and the server
    allows one step of clock difference)."""
    return f"{totp(base64.b32decode(key.replace(' ', '')), drift=steps_ahead):06d}"


def sign_in(page, live_server, username, password="correct-horse-battery"):
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("User name or email").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_an_operator_enrols_an_app_then_signs_in_with_a_code(page, live_server, settings, screenshot):
    settings.REQUIRE_2FA_FOR_OPERATORS = True
    make_user("olivia", Role.OPERATOR, first_name="Olivia")
    page.set_viewport_size({"width": 1280, "height": 900})

    sign_in(page, live_server, "olivia")
    expect(page).to_have_url(re.compile(r"/en/backoffice/two-factor/$"))
    expect(page.get_by_text("Operators must use two-factor sign-in")).to_be_visible()
    page.goto(f"{live_server.url}/en/backoffice/outbox/")
    expect(page).to_have_url(re.compile(r"/en/backoffice/two-factor/$"))

    page.get_by_role("button", name="Set up two-factor sign-in").click()
    qr = page.get_by_role("img", name="QR code of your key")
    expect(qr).to_be_visible()
    assert qr.locator("svg").bounding_box()["width"] >= 150
    key = page.locator("[data-totp-key]").inner_text()
    (read,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    address = urlsplit(read.text)
    assert (address.scheme, address.path) == ("otpauth", "/Guichet%3Aolivia")
    assert parse_qs(address.query)["secret"] == [key.replace(" ", "")], "the QR code holds the key shown"
    screenshot(page, "enrol")

    page.get_by_label("Code from your authenticator app").fill(code(key))
    page.get_by_role("button", name="Turn two-factor sign-in on").click()
    expect(page.get_by_text("Two-factor sign-in is on")).to_be_visible()
    page.get_by_role("link", name="Outbox").click()
    expect(page.get_by_role("heading", name="Outbox")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "olivia")
    expect(page).to_have_url(re.compile(r"/en/accounts/login/code/$"))
    page.get_by_label("Code from your authenticator app").fill(
        "000000" if code(key, 1) != "000000" else "111111"
    )
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("This code is not right")).to_be_visible()
    screenshot(page, "wrong-code")
    page.wait_for_timeout(1100)  # django-otp makes a device wait a second after a wrong code
    page.get_by_label("Code from your authenticator app").fill(code(key, 1))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/en/backoffice/$"))
    expect(page.get_by_role("heading", name="Hello Olivia")).to_be_visible()
    screenshot(page, "signed-in")
