"""Help-centre views under the language prefix; hub.urls mounts Wagtail's pages at ``help/`` after them."""

from django.urls import path

from . import views

app_name = "helpcenter"

urlpatterns = [
    path("help/search/", views.search, name="search"),
    path("help/articles/<int:page_id>/feedback/", views.feedback, name="feedback"),
]
