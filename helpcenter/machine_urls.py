from django.urls import include, path

from . import views

urlpatterns = [
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("cms/", include("wagtail.admin.urls")),
    path("documents/", include("wagtail.documents.urls")),
]
