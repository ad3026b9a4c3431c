"""Statuspage's public v2 API paths (no language prefix), for existing widgets and monitors."""

from django.urls import re_path

from .views import public as views

urlpatterns = [
    re_path(
        r"^api/v2/(?P<document>summary|status|components|incidents|incidents/unresolved|scheduled-maintenances"
        r"|scheduled-maintenances/upcoming|scheduled-maintenances/active)\.json$",
        views.api_document,
        name="statuspage_api",
    ),
]
