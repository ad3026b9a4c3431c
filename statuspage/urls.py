"""Public status pages, under the language prefix."""

from django.urls import path

from .views import backoffice, setup
from .views import public as views

app_name = "statuspage"

urlpatterns = [
    path("status/", views.status_page, name="page"),
    path("status/incidents/<str:code>/", views.incident_page, name="incident"),
    path("status/history.rss", views.IncidentFeed(), name="rss"),
    path("status/history.atom", views.AtomIncidentFeed(), name="atom"),
    path("status/subscribe/", views.subscribe, name="subscribe"),
    path("status/subscriptions/<str:token>/", views.preferences, name="preferences"),
    path("status/subscriptions/<str:token>/confirm/", views.confirm, name="confirm"),
    path("status/subscriptions/<str:token>/sms/", views.confirm_sms, name="confirm_sms"),
    path("status/subscriptions/<str:token>/unsubscribe/", views.unsubscribe, name="unsubscribe"),
    # back office
    path("status/notice/", backoffice.notice, name="notice"),
    path("status/notice/<str:code>/dismiss/", backoffice.dismiss, name="dismiss"),
    path("backoffice/status/", backoffice.dashboard, name="dashboard"),
    path("backoffice/status/components/", setup.components, name="components"),
    path("backoffice/status/components/new/", setup.component_edit, name="component_new"),
    path("backoffice/status/components/<slug:slug>/edit/", setup.component_edit, name="component_edit"),
    path("backoffice/status/groups/new/", setup.group_edit, name="group_new"),
    path("backoffice/status/groups/<slug:slug>/", setup.group_edit, name="group_edit"),
    path("backoffice/status/components/<str:code>/", backoffice.component_status, name="component_status"),
    path("backoffice/status/incidents/new/", backoffice.incident_new, name="incident_new"),
    path("backoffice/status/maintenance/new/", backoffice.maintenance_new, name="maintenance_new"),
    path("backoffice/status/incidents/<str:code>/", backoffice.incident_detail, name="incident_detail"),
    path("backoffice/status/preview/", backoffice.preview, name="preview"),
    path("backoffice/status/playbooks/", setup.playbooks, name="playbooks"),
    path("backoffice/status/playbooks/new/", setup.playbook_edit, name="playbook_new"),
    path("backoffice/status/playbooks/<slug:key>/", setup.playbook_edit, name="playbook_edit"),
    path("backoffice/status/subscribers/", backoffice.subscribers, name="subscribers"),
]
