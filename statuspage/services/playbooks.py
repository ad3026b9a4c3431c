"""Workaround playbooks (S5, P2–P6), shown with the incidents they are attached to. The back office and the
operator API both call these."""

from django.db import transaction

from hub.audit import log_action
from hub.permissions import require_operator

from ..audit import Action
from ..models import Playbook
from .common import next_position, publish_change, set_fields, set_retired

PLAYBOOK_TEXTS = ("title", "body")


@transaction.atomic
def create_playbook(*, actor, key: str, title: dict, body: dict, position: int | None = None) -> Playbook:
    """A new playbook; its title and text are required in every language (readers get them in theirs)."""
    require_operator(actor)
    playbook = Playbook(key=key.strip(), position=next_position(Playbook))
    changes = {"title": title, "body": body}
    if position is not None:
        changes["position"] = position
    set_fields(playbook, changes, texts=PLAYBOOK_TEXTS)
    playbook.save()
    log_action(actor, Action.PLAYBOOK_CREATED, playbook, {"key": playbook.key})
    publish_change()
    return playbook


@transaction.atomic
def edit_playbook(*, actor, playbook: Playbook, retired: bool | None = None, **changes) -> Playbook:
    """Change any of ``title`` and ``body`` ({language: text}) and ``position``; ``retired`` stops offering
    it for new incidents (the incidents it was shown with keep it)."""
    require_operator(actor)
    unknown = set(changes) - {*PLAYBOOK_TEXTS, "position"}
    if unknown:
        raise TypeError(f"unknown playbook fields: {sorted(unknown)}")
    playbook = Playbook.objects.select_for_update().get(pk=playbook.pk)
    changed = set_fields(playbook, changes, texts=PLAYBOOK_TEXTS)
    if changed["after"]:
        playbook.save()
        log_action(actor, Action.PLAYBOOK_SAVED, playbook, changed)
    if retired is not None and set_retired(playbook, retired):
        playbook.save(update_fields=["retired_at"])
        log_action(actor, Action.RETIRED if retired else Action.RESTORED, playbook)
    publish_change()
    return playbook
