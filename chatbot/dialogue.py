"""One turn of a conversation: the message's intent (``nlu``), the conversation's state (the cache, 30 minutes
per sender) and the answer (``answers``), or the next step of a handoff or an escalation.

Identity never comes from the message: ``user`` is the signed-in user of the session (or None) and the
organisation is one of theirs. A button's payload is Rasa's ``/intent{"slot": "value"}``.
"""

import json
import re
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _

from escalation.selectors import SalesChannel, open_requests_of, requester_organisations
from escalation.services.escalations import escalate
from helpcenter.selectors import fold

from . import answers, handoff, nlu
from .answers import message

STATE_SECONDS = 30 * 60
# Under this confidence a message is read as a question for the help centre (unless it is small talk or out of
# scope); chosen by 5-fold cross-validation on the training data, with the C of ``nlu.build``.
CONFIDENT = 0.3
NOT_REROUTED = ("greet", "goodbye", "thanks", "affirm", "deny", "out_of_scope")
NOT_A_QUESTION = ("affirm", "deny", "out_of_scope")  # unless an article answers the message surely
QUESTION_WORDS = 3  # "no thanks" is never a question for the help centre
PAYLOAD = re.compile(r"^/(?P<intent>[a-z_]+)(?P<slots>\{.*\})?$", re.DOTALL)
REFERENCE = re.compile(r"\bSR-[A-Z0-9]{4,12}\b", re.IGNORECASE)
COUNTRIES = {
    "BE": ("belgique", "belgien", "belgium", "be"),
    "CH": ("suisse", "schweiz", "switzerland", "ch", "swiss"),
    "FR": ("france", "frankreich", "fr"),
    "UK": (
        "uk",
        "royaume uni",
        "angleterre",
        "england",
        "united kingdom",
        "gb",
        "britain",
        "grossbritannien",
    ),
}


@dataclass
class State:
    language: str = "fr"
    flow: str = ""  # "", "handoff", "escalate", "country"
    step: str = ""
    slots: dict = field(default_factory=dict)
    transcript: list = field(default_factory=list)


@dataclass
class Turn:
    sender: str
    text: str
    page_language: str | None = None
    user: object = None
    country: str = ""  # the browser's country, when the widget knows it


def _key(sender: str) -> str:
    return f"chatbot:state:{sender}"


def load(sender: str) -> State:
    data = cache.get(_key(sender))
    return State(**data) if data else State()


def save(sender: str, state: State) -> None:
    cache.set(_key(sender), state.__dict__, STATE_SECONDS)


def routed_intent(parsed: dict) -> str:
    """The intent the dialogue acts on: an unsure message goes to the help centre."""
    name, confidence = parsed["intent"]["name"], parsed["intent"]["confidence"]
    return "faq" if confidence < CONFIDENT and name not in NOT_REROUTED else name


def read(text: str, page_language: str | None) -> dict:
    """The parse of a typed message, or of a button's payload (intent and slots given, sure)."""
    match = PAYLOAD.match(text.strip())
    if match and match["intent"] in nlu.INTENTS + ("channel",):
        try:
            slots = json.loads(match["slots"]) if match["slots"] else {}
        except json.JSONDecodeError:
            slots = {}
        parsed = nlu.parse("", page_language)
        parsed.update(
            {
                "text": text,
                "intent": {"name": match["intent"], "confidence": 1.0},
                "intent_ranking": [{"name": match["intent"], "confidence": 1.0}],
                "slots": slots if isinstance(slots, dict) else {},
            }
        )
        return parsed
    return nlu.parse(text, page_language)


def respond(turn: Turn) -> tuple[list[dict], dict]:
    """The answers to one message, and its parse."""
    state = load(turn.sender)
    parsed = read(turn.text, turn.page_language or state.language)
    if not PAYLOAD.match(turn.text.strip()):
        state.language = parsed["language"]
    elif turn.page_language in ("fr", "de", "en") and not state.transcript:
        state.language = turn.page_language
    state.transcript.append(["user", turn.text])
    with translation.override(state.language):
        replies = _answer(turn, state, parsed)
    state.transcript += [["bot", reply.get("text", "")] for reply in replies]
    state.transcript = state.transcript[-handoff.TRANSCRIPT_LINES :]
    save(turn.sender, state)
    return replies, parsed


def _answer(turn: Turn, state: State, parsed: dict) -> list[dict]:
    intent = parsed["intent"]["name"]
    slots = parsed.get("slots", {})
    if state.flow == "handoff":
        return _handoff(turn, state, parsed)
    if state.flow == "escalate":
        return _escalate_reason(turn, state, parsed)
    if state.flow == "country" and intent not in ("status", "faq", "handoff", "escalate"):
        country = slots.get("country") or _country_in(turn.text)
        if country:
            state.flow = ""
            return answers.contact(state.language, country)
    if intent == "faq" and slots.get("article"):  # a "did you mean" button
        return answers.article(state.language, str(slots["article"]))
    intent = routed_intent(parsed)
    state.flow = ""
    language = state.language
    if intent in NOT_A_QUESTION and len(turn.text.split()) >= QUESTION_WORDS:
        # "reminder emails not sent" reads like a "no"; when an article answers it surely, it was a question
        answered = answers.faq(language, turn.text, sure_only=True)
        if answered:
            return answered
    if intent == "greet":
        return [
            message(
                _(
                    "Hello! I can check the service status, find a help article "
                    "or put you in touch with support."
                ),
                buttons=[
                    (_("Is everything working?"), "/status"),
                    (_("Contact support"), "/contact"),
                    (_("Talk to a person"), "/handoff"),
                ],
            )
        ]
    if intent == "goodbye":
        return [message(_("Goodbye, and good luck with your events!"))]
    if intent == "thanks":
        return [message(_("You are welcome. Anything else?"))]
    if intent in ("affirm", "deny"):
        return [message(_("How can I help? Ask me a question, or ask for a person."))]
    if intent == "status":
        components = [e["value"] for e in parsed.get("entities", [])]
        return answers.status(language, components) + answers.related_article(language, turn.text)
    if intent == "contact":
        country = slots.get("country") or _country_in(turn.text) or turn.country
        if country:
            return answers.contact(language, country)
        state.flow = "country"
        return answers.ask_country(language)
    if intent == "handoff":
        # "what should a support request contain?": the article may spare the request
        typed = not PAYLOAD.match(turn.text.strip())
        return (answers.related_article(language, turn.text) if typed else []) + _start_handoff(turn, state)
    if intent == "escalate":
        return _start_escalation(turn, state)
    if intent == "faq":
        return answers.faq(language, turn.text)
    return [
        message(
            _(
                "I can only help with Guichet: tickets, the service status and support. "
                "Shall I pass you to a person?"
            ),
            buttons=[(_("Yes, talk to a person"), "/handoff"), (_("No, thanks"), "/deny")],
        )
    ]


def _country_in(text: str) -> str:
    words = re.sub(r"[^a-z]+", " ", fold(text)).split()
    padded = f" {' '.join(words)} "  # names of several words are looked for in the words' own order
    for country, names in COUNTRIES.items():
        if any(f" {name} " in padded for name in names):
            return country
    return ""


# --- handoff: description, channels, references, email, summary → a support request -----------------


def _start_handoff(turn: Turn, state: State) -> list[dict]:
    state.flow, state.step, state.slots = "handoff", "description", {}
    return [message(_("I will pass this on to support. What happens, where, and since when?"))]


def _channel_buttons() -> list[tuple[str, str]]:
    return [(str(label), f'/channel{{"channel": "{value}"}}') for value, label in SalesChannel.choices]


def _handoff(turn: Turn, state: State, parsed: dict) -> list[dict]:
    intent, slots, text = parsed["intent"]["name"], parsed.get("slots", {}), turn.text.strip()
    if state.step == "description":
        if len(text) < handoff.MIN_DESCRIPTION or PAYLOAD.match(text):
            return [message(_("Please describe the problem in a sentence or two."))]
        state.slots["description"] = text
        found = handoff.channels_of(e["value"] for e in parsed.get("entities", []))
        if found:
            state.slots["channels"] = found
            return _ask_references(state)
        state.step = "channels"
        return [message(_("Which sales channel is affected?"), buttons=_channel_buttons())]
    if state.step == "channels":
        channel = slots.get("channel")
        if channel not in SalesChannel.values:
            found = handoff.channels_of(e["value"] for e in parsed.get("entities", []))
            channel = found[0] if found else "other"
        state.slots["channels"] = [channel]
        return _ask_references(state)
    if state.step == "references":
        state.slots["references"] = "" if intent == "deny" or PAYLOAD.match(text) else text
        if not requester_organisations(turn.user) and not state.slots.get("email"):
            state.step = "email"
            return [message(_("Which email address should support answer to?"))]
        return _summary(turn, state)
    if state.step == "email":
        try:
            validate_email(text)
        except ValidationError:
            return [
                message(_("That does not look like an email address. Which address should support write to?"))
            ]
        state.slots["email"] = text
        return _summary(turn, state)
    if state.step == "confirm":
        if intent == "affirm":
            return _submit(turn, state)
        if intent == "deny":
            state.flow = state.step = ""
            return [message(_("Nothing was sent. Ask me anything else."))]
        return [message(_("Shall I send it?"), buttons=[(_("Yes, send it"), "/affirm"), (_("No"), "/deny")])]
    state.flow = ""
    return []


def _ask_references(state: State) -> list[dict]:
    state.step = "references"
    return [
        message(
            _("Any booking references or links that help (order numbers, page addresses)?"),
            buttons=[(_("None"), "/deny")],
        )
    ]


def _summary(turn: Turn, state: State) -> list[dict]:
    state.step = "confirm"
    organisations = requester_organisations(turn.user)
    labels = dict(SalesChannel.choices)
    lines = [
        _("Here is what I will send to support:"),
        _("Problem: %(text)s") % {"text": state.slots["description"]},
        _("Channels: %(names)s") % {"names": ", ".join(str(labels[c]) for c in state.slots["channels"])},
    ]
    if state.slots.get("references"):
        lines.append(_("References: %(text)s") % {"text": state.slots["references"]})
    if organisations:
        lines.append(_("Account ID: %(id)s") % {"id": organisations[0].account_id})
    else:
        lines.append(_("Answer to: %(email)s") % {"email": state.slots["email"]})
    return [message("\n".join(lines), buttons=[(_("Yes, send it"), "/affirm"), (_("No"), "/deny")])]


def _submit(turn: Turn, state: State) -> list[dict]:
    try:
        request = handoff.create_request(
            user=turn.user,
            language=state.language,
            description=state.slots["description"],
            channels=state.slots["channels"],
            references=state.slots.get("references", ""),
            email=state.slots.get("email", ""),
            country=turn.country,
            transcript=state.transcript,
        )
    except ValidationError as error:
        state.step = "description"
        return [message(" ".join(error.messages) + " " + _("Please describe the problem again."))]
    state.flow = state.step = ""
    state.slots = {}
    return handoff.sent(request)


# --- escalate: a signed-in requester's open request → the account manager -------------------------


def _start_escalation(turn: Turn, state: State) -> list[dict]:
    if not getattr(turn.user, "is_authenticated", False):
        return [
            message(
                _("To escalate a request, sign in first; or I can open a new request for you."),
                buttons=[(_("Open a support request"), "/handoff")],
            )
        ]
    requests = open_requests_of(turn.user)
    wanted = REFERENCE.search(turn.text)
    if wanted:
        requests = [r for r in requests if r.reference.upper() == wanted[0].upper()]
    if not requests:
        return [
            message(
                _("You have no open request to escalate. Shall I open one?"), buttons=[(_("Yes"), "/handoff")]
            )
        ]
    state.flow, state.step, state.slots = "escalate", "reason", {"request": requests[0].pk}
    return [
        message(
            _("Why does request %(reference)s need your account manager?")
            % {"reference": requests[0].reference}
        )
    ]


def _escalate_reason(turn: Turn, state: State, parsed: dict) -> list[dict]:
    state.flow = state.step = ""
    if parsed["intent"]["name"] == "deny":
        return [message(_("Nothing was escalated."))]
    try:
        escalation, created = escalate(actor=turn.user, request_id=state.slots["request"], reason=turn.text)
    except (PermissionDenied, ValidationError) as error:
        detail = " ".join(getattr(error, "messages", [])) or _("You may not escalate this request.")
        return [message(detail)]
    values = {"reference": escalation.request.reference}
    text = (
        _("Request %(reference)s is escalated: your account manager has been told.")
        if created
        else _("Request %(reference)s was already escalated: your account manager knows.")
    ) % values
    return [message(text, request=escalation.request.reference)]
