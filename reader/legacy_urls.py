"""The addresses of before projects. Each redirects to its place in the article's project,
so links and bookmarks keep working; to a person who may not see the article they are
404 like any unknown address."""

from __future__ import annotations

from django.urls import path

from . import legacy

app_name = "legacy"

urlpatterns = [
    path("articles/", legacy.to_project, {"name": "reader:article_list"}),
    path("articles/import/", legacy.to_project, {"name": "reader:article_import"}),
    path("articles/<slug:slug>/", legacy.to_article, {"rest": ""}, name="article"),
    path("articles/<slug:slug>/<path:rest>", legacy.to_article),
]
