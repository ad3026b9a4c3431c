"""chatbot/rasa/ stays in step with the embedded engine: the same intents everywhere, the domain's actions
are the action server's, the rules name only what the domain knows, endpoints.yml reaches the server."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from rasa_sdk.executor import ActionExecutor

from chatbot import nlu
from chatbot.language import LANGUAGES

RASA = Path(nlu.__file__).resolve().parent / "rasa"
RASA_DEFAULT_INTENTS = {"nlu_fallback", "restart", "session_start", "back", "out_of_scope"}
RASA_DEFAULT_ACTIONS = {
    "action_listen",
    "action_restart",
    "action_default_fallback",
    "action_deactivate_loop",
}


def load(name: str) -> dict:
    return yaml.safe_load((RASA / name).read_text("utf-8"))


@pytest.fixture(scope="module")
def domain():
    return load("domain.yml")


def test_the_domain_the_nlu_files_and_the_embedded_engine_have_the_same_intents(domain):
    assert str(domain["version"]) == "3.1"
    assert domain["intents"] == list(nlu.INTENTS)
    for language in LANGUAGES:
        data = load(f"data/nlu_{language}.yml")
        intents = [block["intent"] for block in data["nlu"] if "intent" in block]
        assert sorted(intents) == sorted(nlu.INTENTS), language
        assert len(intents) == len(set(intents)), f"an intent twice in nlu_{language}.yml"


def test_every_domain_action_is_served_by_the_action_server_under_that_name(domain):
    executor = ActionExecutor()
    executor.register_package("chatbot.actions")
    assert (
        set(domain["actions"])
        == set(executor.actions)
        == {
            "action_check_status",
            "action_answer_faq",
            "action_contact_info",
            "action_create_support_request",
        }
    )


def test_the_slots_the_actions_read_and_set_are_in_the_domain(domain):
    read = ("description", "channels", "references", "email", "country")
    for slot in (*read, "request_reference", "language"):
        assert slot in domain["slots"], slot
    for mapping in (m for slot in domain["slots"].values() for m in slot["mappings"]):
        if mapping["type"] == "from_entity":
            assert mapping["entity"] in domain["entities"]
    assert "component" in domain["entities"]
    for form in domain.get("forms", {}).values():
        assert set(form["required_slots"]) <= set(domain["slots"])


def test_rules_name_only_the_domains_intents_actions_and_forms(domain):
    intents = set(domain["intents"]) | RASA_DEFAULT_INTENTS
    actions = set(domain["actions"]) | set(domain["responses"]) | set(domain.get("forms", {}))
    actions |= RASA_DEFAULT_ACTIONS
    rules = load("data/rules.yml")["rules"]
    assert rules
    answered = set()
    for rule in rules:
        for step in rule.get("steps", []) + rule.get("condition", []):
            if "intent" in step:
                assert step["intent"] in intents, (rule["rule"], step)
                answered.add(step["intent"])
            if "action" in step:
                assert step["action"] in actions, (rule["rule"], step)
            if step.get("active_loop"):
                assert step["active_loop"] in domain["forms"], (rule["rule"], step)
    assert {"greet", "status", "faq", "contact", "handoff"} <= answered
    for response in domain["responses"]:
        assert response.startswith("utter_")


def test_button_payloads_of_the_responses_name_domain_intents(domain):
    for name, variations in domain["responses"].items():
        for variation in variations:
            for button in variation.get("buttons", []):
                intent = button["payload"].lstrip("/").split("{")[0]
                assert intent in domain["intents"], (name, button)


def test_endpoints_point_at_the_action_server_on_port_5055():
    url = urlsplit(load("endpoints.yml")["action_endpoint"]["url"])
    assert (url.port, url.path) == (5055, "/webhook")


def test_the_config_is_rasas_default_recipe_with_the_agreed_pipeline_and_policies():
    config = load("config.yml")
    assert config["recipe"] == "default.v1"
    assert config["language"] in ("xx", *LANGUAGES)
    pipeline = [component["name"] for component in config["pipeline"]]
    assert pipeline == [
        "WhitespaceTokenizer",
        "RegexFeaturizer",
        "CountVectorsFeaturizer",
        "CountVectorsFeaturizer",
        "DIETClassifier",
        "FallbackClassifier",
    ]
    characters = config["pipeline"][3]
    assert (characters["analyzer"], characters["min_ngram"], characters["max_ngram"]) == ("char_wb", 1, 4)
    policies = [policy["name"] for policy in config["policies"]]
    assert policies == ["RulePolicy", "MemoizationPolicy", "TEDPolicy"]
