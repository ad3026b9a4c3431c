"""Browser tests: Playwright drives Debian's Chromium against Django's live server."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from PIL import Image

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from the test are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
# The fake camera plays this file; a test writes the frames it wants the App-Scanner to see before it opens.
CAMERA_FILE = Path(tempfile.gettempdir()) / f"guichet-camera-{os.getpid()}.y4m"


def pytest_collection_modifyitems(items):
    if not Path(CHROMIUM).exists():
        skip = pytest.mark.skip(reason="Chromium is not installed (apt-get install chromium)")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={CAMERA_FILE}",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-dev-shm-usage",
        ],
    }


@pytest.fixture
def screenshot(request):
    """Save a full-page screenshot under test-results/screenshots/ for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}-{name}.png"), full_page=True)

    return take


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR"}


@pytest.fixture
def camera():
    """Show the fake camera a picture (a PIL image), as frames of a Y4M video."""

    def show(image):
        width, height = 640, 480
        frame = Image.new("L", (width, height), 255)
        image = image.convert("L")
        image.thumbnail((420, 420))
        frame.paste(image, ((width - image.width) // 2, (height - image.height) // 2))
        luma, chroma = frame.tobytes(), bytes([128]) * (width * height // 2)
        with CAMERA_FILE.open("wb") as video:
            video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
            for _ in range(10):
                video.write(b"FRAME\n" + luma + chroma)

    show(Image.new("L", (10, 10), 255))
    return show


@pytest.fixture
def open_page(browser):
    """A page in a fresh browser context of its own (another person, another device); closed after the test
    so that nothing keeps polling the live server."""
    contexts = []

    def open_(**context_args):
        context = browser.new_context(**{"locale": "fr-FR", **context_args})
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()
