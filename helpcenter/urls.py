"""Help-centre views under the language prefix. The help pages are Wagtail's, served through ``page``
(ready-made for anonymous readers); hub.urls mounts Wagtail's own URLs at ``help/`` after these, for
``reverse("wagtail_serve")``."""

from django.urls import path, re_path
from wagtail.urls import serve_pattern

from . import views

app_name = "helpcenter"

urlpatterns = [
    path("help/search/", views.search, name="search"),
    path("help/articles/<int:page_id>/feedback/", views.feedback, name="feedback"),
    re_path("^help/" + serve_pattern.removeprefix("^"), views.page, name="page"),
]
