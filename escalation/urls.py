from django.urls import path

from . import views

app_name = "escalation"

urlpatterns = [
    path("support/new/", views.request_new, name="request_new"),
    path("support/new/help/", views.request_deflection, name="request_deflection"),
    path("support/new/help/<slug:key>/", views.deflection_article, name="deflection_article"),
    path("support/requests/", views.my_requests, name="my_requests"),
    path("support/requests/<str:reference>/", views.my_request, name="my_request"),
    path("support/sent/<str:token>/", views.request_sent, name="request_sent"),
    path("backoffice/support/", views.agent_queue, name="agent_queue"),
    path("backoffice/support/on-call/", views.rota, name="rota"),
    path("backoffice/support/reports/", views.reports, name="reports"),
    path("backoffice/support/escalations/notice/", views.escalation_notice, name="escalation_notice"),
    path("backoffice/support/escalations/seen/", views.escalations_seen, name="escalations_seen"),
    path("backoffice/support/<str:reference>/", views.agent_request, name="agent_request"),
    path("support/files/<int:pk>/", views.attachment, name="attachment"),
    path("support/page/<str:token>/", views.acknowledge, name="acknowledge"),
]
