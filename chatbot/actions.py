"""Guichet's answers as rasa-sdk custom actions, for a team that runs Rasa Open Source: its
``endpoints.yml`` points at ``python manage.py run_action_server --port 5055`` (``chatbot/rasa/`` holds a
domain, config and rules that use them).

The actions run the embedded engine's code (``answers``, ``handoff``) on what Rasa's tracker says: the
latest message's text, entities and metadata (``lang``: the page's language, a prior for detection as in
the embedded engine) and the slots. The action server has no session, so nobody is signed in here: a user
id in the tracker is never believed, and a support request needs the ``email`` slot.

Rasa's executor awaits ``run``; Django's ORM refuses to be called from the event loop, so the work runs
in Django's thread (``sync_to_async(thread_sensitive=True)``), one request's connection at a time.
"""

from abc import ABCMeta, abstractmethod
from typing import Any

from asgiref.sync import sync_to_async
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import close_old_connections
from django.utils import translation
from django.utils.translation import gettext as _
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from . import answers, handoff
from .components import find_components
from .language import LANGUAGES, detect

SLOT_OF = {"body": "description", "subject": "description", "references": "references", "email": "email"}


def language_of(tracker: Tracker) -> str:
    """fr, de or en: the latest message's language, with its metadata's ``lang`` (or the ``language`` slot)
    as the prior for short messages."""
    latest = tracker.latest_message or {}
    metadata = latest.get("metadata") or {}
    prior = metadata.get("lang")
    if prior not in LANGUAGES:
        prior = tracker.get_slot("language")
    return detect(latest.get("text") or "", prior if prior in LANGUAGES else None)


def components_of(tracker: Tracker) -> list[str]:
    """Status page components named in the latest message: Rasa's ``component`` entities, else Guichet's
    own lexicon over the text."""
    latest = tracker.latest_message or {}
    entities = [e for e in latest.get("entities") or [] if e.get("entity") == "component"]
    if not entities:
        entities = find_components(latest.get("text") or "")
    return list(dict.fromkeys(str(e["value"]) for e in entities if e.get("value")))


def entity(tracker: Tracker, name: str) -> str:
    return str(next(tracker.get_latest_entity_values(name), "") or "")


def transcript_of(tracker: Tracker) -> list[tuple[str, str]]:
    """The conversation as Rasa's events tell it: what the user typed and what the bot said."""
    lines = []
    for event in tracker.events or []:
        kind = {"user": "user", "bot": "bot"}.get(event.get("event"))
        if kind and event.get("text"):
            lines.append((kind, str(event["text"])))
    return lines[-handoff.TRANSCRIPT_LINES :]


class GuichetAction(Action, metaclass=ABCMeta):
    """Runs ``answer`` (synchronous, Django) in Django's thread with the user's language active, then
    utters its messages as Rasa REST messages (text, buttons, custom) and returns its events. Abstract, so
    rasa-sdk's executor does not register it."""

    @abstractmethod
    def answer(self, tracker: Tracker, language: str) -> tuple[list[dict], list]:
        """The messages and the events, computed with Django (the ORM) in a synchronous context."""

    def _work(self, tracker: Tracker) -> tuple[list[dict], list]:
        close_old_connections()  # what Django's request cycle does around a view
        try:
            language = language_of(tracker)
            with translation.override(language):
                replies, events = self.answer(tracker, language)
            return replies, [SlotSet("language", language), *events]
        finally:
            close_old_connections()

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        replies, events = await sync_to_async(self._work, thread_sensitive=True)(tracker)
        for reply in replies:
            dispatcher.utter_message(
                text=reply.get("text"), buttons=reply.get("buttons") or None, json_message=reply.get("custom")
            )
        return events


class ActionCheckStatus(GuichetAction):
    """S2: open incidents and maintenance, live, narrowed to the named components."""

    def name(self) -> str:
        return "action_check_status"

    def answer(self, tracker, language):
        return answers.status(language, components_of(tracker)), []


class ActionAnswerFaq(GuichetAction):
    """The help centre's answer to the latest message, or the article a "did you mean" button named
    (``article`` entity)."""

    def name(self) -> str:
        return "action_answer_faq"

    def answer(self, tracker, language):
        article = entity(tracker, "article")
        if article:
            return answers.article(language, article), []
        return answers.faq(language, (tracker.latest_message or {}).get("text") or ""), []


class ActionContactInfo(GuichetAction):
    """C1, C3: the support line for the country (entity, slot or metadata) and whether support is open;
    without a country, the question with one button per line."""

    def name(self) -> str:
        return "action_contact_info"

    def answer(self, tracker, language):
        metadata = (tracker.latest_message or {}).get("metadata") or {}
        country = entity(tracker, "country") or tracker.get_slot("country") or metadata.get("country") or ""
        country = str(country)[:2].upper()
        if not country:
            return answers.ask_country(language), []
        return answers.contact(language, country), [SlotSet("country", country)]


class ActionCreateSupportRequest(GuichetAction):
    """The handoff's end: slots ``description``, ``channels``, ``references``, ``email``, ``country`` become
    a support request (anonymous: the action server knows no session) with Rasa's conversation as its
    transcript; ``request_reference`` is set to its reference."""

    def name(self) -> str:
        return "action_create_support_request"

    def answer(self, tracker, language):
        slot = tracker.get_slot
        description = str(slot("description") or "").strip()
        email = str(slot("email") or "").strip()
        if len(description) < handoff.MIN_DESCRIPTION:
            return [answers.message(_("Please describe the problem in a sentence or two."))], [
                SlotSet("description", None)
            ]
        try:
            validate_email(email)
        except ValidationError:
            return [answers.message(_("Which email address should support answer to?"))], [
                SlotSet("email", None)
            ]
        channels = handoff.known_channels(slot("channels")) or handoff.channels_of(
            e["value"] for e in find_components(description)
        )
        metadata = (tracker.latest_message or {}).get("metadata") or {}
        country = str(slot("country") or metadata.get("country") or "")[:2].upper()
        try:
            request = handoff.create_request(
                user=None,
                language=language,
                description=description,
                channels=channels,
                references=str(slot("references") or ""),
                email=email,
                country=country,
                transcript=transcript_of(tracker),
            )
        except (ValidationError, PermissionDenied) as error:
            # the slots at fault are emptied, so that the form asks for them again
            wrong = {SLOT_OF.get(field, "description") for field in getattr(error, "error_dict", {"body": 0})}
            detail = " ".join(getattr(error, "messages", [])) or _("Please describe the problem again.")
            return [answers.message(detail)], [SlotSet(name, None) for name in sorted(wrong)]
        return handoff.sent(request), [
            SlotSet("request_reference", request.reference),
            SlotSet("description", None),
            SlotSet("references", None),
        ]
