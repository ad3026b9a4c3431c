from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpcenterConfig(AppConfig):
    name = "helpcenter"
    verbose_name = _("Help centre")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import PageViewRestriction
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from hub import navigation, support_contact
        from hub.models import Role
        from hub.signals import roles_changed, web_process_started

        from . import selectors, services, suggest
        from .freshness import content_changed
        from .models import HELP_PAGE_TYPES, SupportPhoneLine, SupportSettings

        def roles_updated(sender, user, **kwargs):
            user.__dict__.pop("_guichet_roles", None)
            services.sync_editor_access(user=user)

        # What readers see changes: the suggestions and the ready-made pages follow (see freshness).
        uid = "helpcenter-content-changed"  # one per signal and sender
        post_page_move.connect(content_changed, weak=False, dispatch_uid=uid)
        for model in HELP_PAGE_TYPES:
            for signal in (page_published, page_unpublished, post_delete):
                signal.connect(content_changed, sender=model, weak=False, dispatch_uid=uid)
        # Contact page and cards show the contact settings; a page made private leaves the copies.
        for model in (SupportSettings, SupportPhoneLine, PageViewRestriction):
            for signal in (post_save, post_delete):
                signal.connect(content_changed, sender=model, weak=False, dispatch_uid=uid)
        web_process_started.connect(
            lambda **kwargs: suggest.warm(), weak=False, dispatch_uid="helpcenter-warm-suggestions"
        )
        navigation.register(
            label=_("Help centre"), url_name="wagtailadmin_home", roles={Role.OPERATOR}, icon="?", order=320
        )
        support_contact.register_support_lines(selectors.support_lines)
        roles_changed.connect(roles_updated, weak=False, dispatch_uid="helpcenter-editors")
