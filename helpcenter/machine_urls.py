from django.urls import include, path
from django.views.generic import RedirectView

from . import views

urlpatterns = [
    path("sitemap.xml", views.sitemap, name="sitemap"),
    # Editors sign in, and reset passwords, through Guichet's own rate-limited pages, not Wagtail's.
    path("cms/login/", RedirectView.as_view(pattern_name="hub:login", query_string=True)),
    path("cms/password_reset/", RedirectView.as_view(pattern_name="hub:password_reset")),
    path("cms/", include("wagtail.admin.urls")),
    path("documents/", include("wagtail.documents.urls")),
]
