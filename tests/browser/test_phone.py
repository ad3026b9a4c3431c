"""On a 390 × 844 phone: the App-Scanner's verdict takes the screen at once, for a typed code and a camera
scan, and the status page's uptime captions stand apart in each language."""

import io

import pytest
import qrcode
from playwright.sync_api import expect

from statuspage import demo as status_demo

from .test_door import sign_in
from .test_door import ticket as ticket  # a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def assert_in_viewport(page, locator):
    box = locator.bounding_box()
    assert box is not None, "shown"
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box


def words(text):
    return " ".join(text.split())


def run_together(a, b, gap=8):
    """Two captions read as one: on the same lines with less than ``gap`` pixels between them."""
    apart_vertically = a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"]
    apart_horizontally = a["x"] + a["width"] + gap <= b["x"] or b["x"] + b["width"] + gap <= a["x"]
    return not (apart_vertically or apart_horizontally)


def test_on_a_phone_the_verdict_takes_the_screen_and_the_uptime_captions_stand_apart(
    open_page,
    live_server,
    ticket,
    camera,
    screenshot,
):
    page = open_page(viewport=PHONE, permissions=["camera"])
    sign_in(page, live_server, "dora")
    page.fill("#scan-code", "NOPE-0")
    page.locator("#scan-form button[type=submit]").click()  # "Vérifier"
    red = page.locator("#scan-result .verdict[data-result=unknown]")
    expect(red).to_be_visible()
    assert_in_viewport(page, red.locator(".verdict-word"))
    assert_in_viewport(page, page.locator("#scan-next"))
    screenshot(page, "typed-red")
    page.locator("#scan-next").click()
    expect(page.locator("#scan-next")).to_be_hidden()
    assert_in_viewport(page, page.locator("#scan-code"))

    page.fill("#scan-code", ticket.number)
    page.locator("#scan-form button[type=submit]").click()
    green = page.locator("#scan-result .verdict[data-result=admitted]")
    expect(green).to_be_visible()
    assert_in_viewport(page, green.locator(".verdict-word"))
    assert_in_viewport(page, green.get_by_text("DURAND"))
    screenshot(page, "typed-green")

    camera(qrcode.make(f"{live_server.url}/t/{ticket.secret}/").get_image())
    scanner = open_page(viewport=PHONE, permissions=["camera"])
    sign_in(scanner, live_server, "dora")
    already = scanner.locator("#scan-result .verdict[data-result=already_inside]")
    expect(already).to_be_visible(timeout=15000)  # read from the camera
    assert_in_viewport(scanner, already.locator(".verdict-word"))
    assert_in_viewport(scanner, already.get_by_role("button", name="Laisser passer de sortie"))
    screenshot(scanner, "camera-red")

    status_demo.load(io.StringIO())
    for language, today in (("fr", "Aujourd’hui"), ("de", "Heute"), ("en", "Today")):
        page.goto(f"{live_server.url}/{language}/status/")
        legends = page.locator(".uptime-legend")
        assert legends.count() >= 5
        expect(legends.first).to_contain_text(today)
        for index in range(legends.count()):
            legend = legends.nth(index)
            captions = legend.locator("span").all()
            assert len(captions) == 3
            text = words(legend.text_content())
            for caption in captions[:2]:  # read aloud or copied, they stay words apart
                assert words(caption.text_content()) + " " in text + " ", text
            boxes = [caption.bounding_box() for caption in captions]
            size = float(legend.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
            assert all(box["height"] < 2 * size for box in boxes), (
                language,
                "each caption on one line",
                boxes,
            )
            for i, a in enumerate(boxes):
                assert a["x"] >= 0 and a["x"] + a["width"] <= PHONE["width"], (language, a)
                for b in boxes[i + 1 :]:
                    assert not run_together(a, b), (language, index, a, b)
        screenshot(page, f"status-{language}")
