from django.urls import path

from . import views

app_name = "escalation"

urlpatterns = [
    path("backoffice/support/<str:reference>/", views.agent_request, name="agent_request"),
    path("support/files/<int:pk>/", views.attachment, name="attachment"),
    path("support/page/<str:token>/", views.acknowledge, name="acknowledge"),
]
