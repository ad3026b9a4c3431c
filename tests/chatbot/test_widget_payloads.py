"""The payloads of the buttons the widget shows, sent back as the next message, do what their title says."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_did_you_mean_button_answers_with_the_article_it_names(chat, help_content, settings):
    settings.SITE_URL = "https://guichet.example"
    replies = chat("en").say('/faq{"article": "refund-order"}')
    assert replies[0]["custom"]["article_key"] == "refund-order"
    assert replies[0]["custom"]["url"].startswith("https://guichet.example/en/help/")
