"""The ``reason`` filter: the triage's stored English reasons, translated for agents, the request's quoted
words kept. French needs the lead's compiled translations: here the parsing is tested with English active
(each part goes through gettext and comes back the same), and what the filter cannot read passes unchanged."""

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext

from escalation.models import SalesChannel
from escalation.templatetags.desk import translate_reason
from escalation.triage import OPEN_INCIDENT, TriageContext, triage


@pytest.fixture
def gettext_calls(monkeypatch):
    """The strings the filter hands to gettext, with gettext marking what it translated."""
    calls = []

    def fake(message):
        calls.append(message)
        return f"<{message}>"

    monkeypatch.setattr("escalation.templatetags.desk._", fake)
    return calls


@pytest.mark.parametrize(
    "reason",
    [
        "blocks check-in: 'scanner', 'entrée'",
        "prevents sales: 'shop'",
        "sells at wrong prices: 'preise', 'falsch'",
        "possibly degrades performance: 'slow'",
        "degrades performance (with context): 'lent'",
        "show starting within 6 hours: 'Title: the return'",
        "open incident INC-12 on Online shop",
        "open incident INC-12 on Online shop, Door scanning",
        "open incident INC-12 on the chosen channels",
        "like urgent requests seen before (learned second opinion)",
        "like urgent requests seen before (learned second opinion): 'shop', 'platze'",
    ],
)
def test_every_reason_the_rules_write_reads_the_same_in_english(reason):
    with translation.override("en"):
        assert translate_reason(reason) == reason


@pytest.mark.parametrize(
    "reason, translated",
    [
        ("blocks check-in: 'scanner', 'entrée'", "<<blocks check-in>: 'scanner', 'entrée'>"),
        ("possibly degrades performance: 'slow'", "<<possibly <degrades performance>>: 'slow'>"),
        (
            "degrades performance (with context): 'lent'",
            "<<<degrades performance> (with context)>: 'lent'>",
        ),
        ("show starting within 6 hours: 'Concert 1'", "<<show starting within 6 hours>: 'Concert 1'>"),
        ("open incident INC-12 on the chosen channels", "<open incident INC-12 on <the chosen channels>>"),
        (
            "like urgent requests seen before (learned second opinion)",
            "<like urgent requests seen before (learned second opinion)>",
        ),
        (
            "like urgent requests seen before (learned second opinion): 'handys'",
            "<<like urgent requests seen before (learned second opinion)>: 'handys'>",
        ),
    ],
)
def test_the_label_is_translated_and_the_quoted_words_are_kept(gettext_calls, reason, translated):
    assert translate_reason(reason) == translated
    assert not any("'" in message for message in gettext_calls)  # the request's words never go to gettext


def test_the_channels_of_an_incident_are_translated_by_their_labels():
    with translation.override("fr"):  # the channels' labels are translated already
        channels = f"{SalesChannel.DOOR_SCANNING.label}, {SalesChannel.KIOSK.label}"
        expected = gettext(OPEN_INCIDENT) % {"code": "INC-12", "channels": channels}
        assert translate_reason("open incident INC-12 on Door scanning, Kiosk") == expected
    assert "Contrôle d’accès" in expected
    with translation.override("fr"):  # a name the rules wrote in another language is kept
        assert "Contrôle d’accès, Bar" in translate_reason("open incident INC-12 on Contrôle d’accès, Bar")


@pytest.mark.parametrize(
    "reason",
    [
        "not urgent: nothing blocks",
        "the agent said so",
        "blocks check-in",  # a label without the words is not what the rules write
        "possibly: 'slow'",
        "",
    ],
)
def test_an_unknown_reason_passes_through_unchanged(gettext_calls, reason):
    assert translate_reason(reason) == reason
    assert gettext_calls == []


def test_the_reasons_triage_writes_are_read_by_the_filter(gettext_calls):
    verdict = triage(
        "Le scanner ne marche pas à l'entrée, c'est lent",
        "fr",
        channels=[SalesChannel.DOOR_SCANNING],
        context=TriageContext(show="Concert", incidents=(("INC-3", frozenset({"door_scanning"})),)),
    )
    assert verdict.reasons
    for reason in verdict.reasons:
        assert translate_reason(reason) != reason, reason


def test_the_filter_in_a_template_escapes_the_request_s_words():
    template = Template("{% load desk %}{{ value|reason }}")
    with translation.override("en"):
        rendered = template.render(Context({"value": "prevents sales: '<b>shop</b>'"}))
    assert rendered == "prevents sales: &#x27;&lt;b&gt;shop&lt;/b&gt;&#x27;"
