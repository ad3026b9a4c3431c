"""French punctuation never starts a line on a phone: "?" ":" "!" ";" "»" stay with the word before them
(a no-break space, not an ordinary one, separates them)."""

import pytest
from playwright.sync_api import expect

from helpcenter.content import load_help_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (320, 360, 390)
# Every ? ! : ; » € % drawn on a lower line than the last visible character before it.
ORPHANS = r"""
() => {
  const found = [];
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (walker.nextNode()) {
    const node = walker.currentNode, text = node.nodeValue;
    for (let i = 0; i < text.length; i++) {
      if (!"?!:;»€%".includes(text[i])) continue;
      let j = i - 1;
      while (j >= 0 && /\s/.test(text[j]) && text[j] !== "\u00a0") j--;
      if (j < 0) continue;
      range.setStart(node, i); range.setEnd(node, i + 1);
      const mark = range.getClientRects()[0];
      range.setStart(node, j); range.setEnd(node, j + 1);
      const before = range.getClientRects()[0];
      if (mark && before && mark.top >= before.bottom - 2) found.push(text.slice(Math.max(0, i - 30), i + 1));
    }
  }
  return found;
}
"""


def orphans_at_each_width(page):
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 844})
        found += [f"{width}px: …{text}" for text in page.evaluate(ORPHANS)]
    return found


def test_the_help_home_keeps_its_question_marks_with_their_questions(open_page, live_server, screenshot):
    load_help_content()
    page = open_page(viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/fr/help/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Centre d’aide")
    assert page.locator("main a").filter(has_text="?").count() > 10, "the questions are on the page"
    assert orphans_at_each_width(page) == []
    screenshot(page, "help-home-320")


def test_my_tickets_keeps_its_punctuation_with_its_words(open_page, live_server, screenshot):
    page = open_page(viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/fr/my-tickets/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Retrouver mes billets")
    assert orphans_at_each_width(page) == []

    page.fill("#id_email", "alice@example.org")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_text("Rien reçu après quelques minutes")).to_be_visible()
    assert orphans_at_each_width(page) == []
    screenshot(page, "my-tickets-sent-320")
