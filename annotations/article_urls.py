from __future__ import annotations

from django.urls import path

from . import views

app_name = "article_annotations"

# Inside a project: mounted at /p/<project>/ (config/urls.py).
urlpatterns = [
    path("articles/<slug:slug>/annotations/", views.article_annotations, name="list"),
    path("articles/<slug:slug>/annotations/changes/", views.article_changes, name="changes"),
]
