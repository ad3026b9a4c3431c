"""The editors' side in the Wagtail admin: feedback counts and searches without results (content gaps)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView

from . import selectors


class FeedbackReport(ReportView):
    """Votes per article, the least helpful first."""

    page_title = _("Article feedback")
    header_icon = "help"
    index_url_name = "helpcenter_feedback_report"
    index_results_url_name = "helpcenter_feedback_report_results"
    any_permission_required = ["helpcenter.view_articlefeedback"]
    list_export = ["title", "key", "language", "helpful", "not_helpful"]
    export_headings = {"language": _("Language"), "helpful": _("Helpful"), "not_helpful": _("Not helpful")}
    columns = [
        TitleColumn(
            "title",
            label=_("Article"),
            get_url=lambda page: reverse("wagtailadmin_pages:edit", args=[page.pk]),
        ),
        Column("key", label=_("Key")),
        Column("language", label=_("Language"), accessor="locale.language_code"),
        Column("helpful", label=_("Helpful")),
        Column("not_helpful", label=_("Not helpful")),
    ]

    def get_queryset(self):
        return selectors.feedback_counts()


class UnansweredSearchReport(ReportView):
    """What readers searched for and did not find: wording to add to articles, or a missing article."""

    page_title = _("Searches without results")
    header_icon = "search"
    index_url_name = "helpcenter_unanswered_report"
    index_results_url_name = "helpcenter_unanswered_report_results"
    any_permission_required = ["helpcenter.view_unansweredsearch"]
    list_export = ["query", "language", "count", "first_seen", "last_seen"]
    columns = [
        Column("query", label=_("Search")),
        Column("language", label=_("Language")),
        Column("count", label=_("Times")),
        Column("last_seen", label=_("Last time")),
    ]

    def get_queryset(self):
        return selectors.unanswered_searches()


@hooks.register("register_admin_urls")
def report_urls():
    return [
        path("reports/help-feedback/", FeedbackReport.as_view(), name="helpcenter_feedback_report"),
        path(
            "reports/help-feedback/results/",
            FeedbackReport.as_view(results_only=True),
            name="helpcenter_feedback_report_results",
        ),
        path("reports/help-searches/", UnansweredSearchReport.as_view(), name="helpcenter_unanswered_report"),
        path(
            "reports/help-searches/results/",
            UnansweredSearchReport.as_view(results_only=True),
            name="helpcenter_unanswered_report_results",
        ),
    ]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_reports_menu_item")
def feedback_menu_item():
    return PermissionMenuItem(
        _("Article feedback"),
        reverse("helpcenter_feedback_report"),
        icon_name="help",
        order=1000,
        permission="helpcenter.view_articlefeedback",
    )


@hooks.register("register_reports_menu_item")
def unanswered_menu_item():
    return PermissionMenuItem(
        _("Searches without results"),
        reverse("helpcenter_unanswered_report"),
        icon_name="search",
        order=1010,
        permission="helpcenter.view_unansweredsearch",
    )
