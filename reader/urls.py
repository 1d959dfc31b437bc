from __future__ import annotations

from django.urls import path

from . import views

app_name = "reader"

# Inside a project: mounted at /p/<project>/ (config/urls.py).
urlpatterns = [
    path("", views.article_list, name="article_list"),
    path("import/", views.article_import, name="article_import"),
    path("import/<int:pk>/", views.draft_preview, name="draft_preview"),
    path("import/<int:pk>/save/", views.draft_save, name="draft_save"),
    path("import/<int:pk>/discard/", views.draft_discard, name="draft_discard"),
    path("articles/<slug:slug>/", views.article_detail, name="article_detail"),
    path("articles/<slug:slug>/delete/", views.article_delete, name="article_delete"),
    path("articles/<slug:slug>/details/", views.article_details, name="article_details"),
    path(
        "articles/<slug:slug>/versions/<int:number>/", views.article_version, name="article_version"
    ),
    path(
        "articles/<slug:slug>/proposals/<int:pk>/", views.proposal_review, name="proposal_review"
    ),
]
