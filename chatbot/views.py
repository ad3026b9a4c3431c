"""The Rasa-compatible endpoints: the REST channel (``/webhooks/rest/webhook``), its health check and the
NLU parse API (``/model/parse``). JSON in, JSON out, outside the language prefix.

The session's user is only believed when the call carries the CSRF token (the widget sends it): a page of
another site posting with the user's cookie talks to an anonymous assistant.
"""

import json

from django.conf import settings
from django.http import JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from hub import ratelimit

from .dialogue import Turn, respond
from .language import LANGUAGES
from .nlu import parse

MAX_SENDER = 128


def _body(request) -> dict | None:
    try:
        data = json.loads(request.body or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _error(detail: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def _user(request):
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return None
    refused = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
    return None if refused is not None else user


@require_GET
def rest_health(request):
    return JsonResponse({"status": "ok"})


@csrf_exempt
@require_POST
def rest_webhook(request):
    data = _body(request)
    if data is None:
        return _error("expected a JSON object")
    sender, text, metadata = data.get("sender"), data.get("message"), data.get("metadata") or {}
    if not isinstance(sender, str) or not 0 < len(sender) <= MAX_SENDER:
        return _error(f'"sender" must be a string of 1 to {MAX_SENDER} characters')
    if not isinstance(text, str) or not text.strip():
        return _error('"message" must be a non-empty string')
    if not isinstance(metadata, dict):
        return _error('"metadata" must be an object')
    language = metadata.get("lang") if metadata.get("lang") in LANGUAGES else None
    country = metadata.get("country") if isinstance(metadata.get("country"), str) else ""
    limit = settings.CHATBOT_MESSAGES_PER_MINUTE
    with translation.override(language or translation.get_language()):
        if not (
            ratelimit.hit("chatbot-sender", sender, limit=limit, window=60)
            and ratelimit.hit("chatbot-address", ratelimit.client_ip(request) or "-", limit=limit, window=60)
        ):
            return _error(_("Too many messages: please wait a minute."), status=429)
        if len(text) > settings.CHATBOT_MAX_MESSAGE_LENGTH:
            reply = _(
                "That message is too long for me (%(limit)s characters at most): could you say it shorter?"
            )
            return JsonResponse(
                [{"recipient_id": sender, "text": reply % {"limit": settings.CHATBOT_MAX_MESSAGE_LENGTH}}],
                safe=False,
            )
    user = _user(request)
    replies, _parsed = respond(
        Turn(
            sender=f"{user.pk if user else 'anonymous'}:{sender}",
            text=text,
            page_language=language,
            user=user,
            country=country[:2].upper(),
        )
    )
    return JsonResponse([{"recipient_id": sender, **reply} for reply in replies], safe=False)


@csrf_exempt
@require_POST
def model_parse(request):
    data = _body(request)
    if data is None:
        return _error("expected a JSON object")
    text, language = data.get("text"), data.get("lang")
    if not isinstance(text, str) or len(text) > settings.CHATBOT_MAX_MESSAGE_LENGTH:
        return _error(f'"text" must be a string of at most {settings.CHATBOT_MAX_MESSAGE_LENGTH} characters')
    if language is not None and language not in LANGUAGES:
        return _error(f'"lang" must be one of {", ".join(LANGUAGES)}')
    if not ratelimit.hit(
        "chatbot-parse",
        ratelimit.client_ip(request) or "-",
        limit=settings.CHATBOT_MESSAGES_PER_MINUTE * 4,
        window=60,
    ):
        return _error("too many requests", status=429)
    return JsonResponse(parse(text, language))
