from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpcenterConfig(AppConfig):
    name = "helpcenter"
    verbose_name = _("Help centre")

    def ready(self):
        from django.db import transaction
        from django.db.models.signals import post_delete
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from hub import navigation
        from hub.models import Role
        from hub.signals import roles_changed, web_process_started

        from . import services, suggest
        from .models import HelpArticlePage

        def content_changed(sender, **kwargs):
            transaction.on_commit(suggest.content_changed)

        def roles_updated(sender, user, **kwargs):
            user.__dict__.pop("_guichet_roles", None)
            services.sync_editor_access(user=user)

        for signal in (page_published, page_unpublished):
            signal.connect(
                content_changed, sender=HelpArticlePage, weak=False, dispatch_uid=f"help-{id(signal)}"
            )
        post_page_move.connect(content_changed, weak=False, dispatch_uid="helpcenter-move")
        post_delete.connect(
            content_changed, sender=HelpArticlePage, weak=False, dispatch_uid="helpcenter-delete"
        )
        web_process_started.connect(
            lambda **kwargs: suggest.warm(), weak=False, dispatch_uid="helpcenter-warm-suggestions"
        )
        navigation.register(
            label=_("Help centre"), url_name="wagtailadmin_home", roles={Role.OPERATOR}, icon="?", order=320
        )
        roles_changed.connect(roles_updated, weak=False, dispatch_uid="helpcenter-editors")
