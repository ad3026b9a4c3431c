"""The end of a handoff, shared by the embedded dialogue and the rasa-sdk action: what was collected becomes
a support request through the desk's service, and the answer says what happens next (urgent out of hours:
the emergency number; on-call has been paged by the desk).

Identity is the caller's business: ``user`` is the session's signed-in user or None (the action server has
no session, so it is always None there and the email is required).
"""

from django.utils.translation import gettext as _

from escalation.selectors import SalesChannel, next_steps, requester_organisations
from escalation.services.requests import Draft, submit_request

from .answers import message

MIN_DESCRIPTION = 10  # characters: less is no description of a problem
TRANSCRIPT_LINES = 60  # the end of the conversation kept with the request
COMPONENT_CHANNELS = {
    "pos": "box_office",
    "kiosk": "kiosk",
    "door-scanning": "door_scanning",
    "online-booking": "online_shop",
    "payments": "online_shop",
    "ticket-emails": "online_shop",
    "api": "api_widget",
    "back-office": "other",
}


def channels_of(components) -> list[str]:
    """The sales channels of the named status page components (slugs), in order, once each."""
    return list(dict.fromkeys(COMPONENT_CHANNELS[slug] for slug in components if slug in COMPONENT_CHANNELS))


def known_channels(values) -> list[str]:
    """The desk's sales channels among ``values`` (a list or one string); anything else is dropped."""
    if isinstance(values, str):
        values = [values]
    return [value for value in values or [] if value in SalesChannel.values]


def create_request(
    *,
    user,
    language: str,
    description: str,
    channels: list[str],
    references: str = "",
    email: str = "",
    country: str = "",
    transcript=(),
):
    """The support request of a handoff (``submit_request`` raises ValidationError on bad input)."""
    organisations = requester_organisations(user)
    draft = Draft(
        email=user.email if organisations else email,
        subject=description.splitlines()[0][:80],
        body=description,
        language=language,
        country=country,
        name=user.get_full_name() if organisations else "",
        channels=channels or ["other"],
        references=references,
        transcript=[tuple(line) for line in transcript],
    )
    return submit_request(
        requester=user if organisations else None,
        organisation_id=organisations[0].pk if organisations else None,
        draft=draft,
    )


def sent(request) -> list[dict]:
    """The answer once ``request`` is created, in the active language."""
    steps = next_steps(request)
    values = {"reference": request.reference, "phone": steps.phone}
    if steps.urgent and not steps.open:
        text = (
            _(
                "Request %(reference)s is sent and marked urgent. Support is closed: call the emergency line "
                "%(phone)s now; the person on call has been paged."
            )
            % values
        )
        links = [{"title": steps.phone, "url": steps.tel}]
    elif steps.open:
        text = _("Request %(reference)s is sent. Support is open and will answer soon by email.") % values
        links = []
    else:
        text = _("Request %(reference)s is sent. Support answers when it opens again.") % values
        links = []
    return [message(text, request=request.reference, urgent=request.urgent, links=links)]
