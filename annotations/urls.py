from __future__ import annotations

from django.urls import path

from . import views

app_name = "annotations"

urlpatterns = [
    path("annotations/new/", views.annotation_create, name="create"),
    path("annotations/<uuid:pk>/", views.annotation_detail, name="detail"),
    path("annotations/<uuid:pk>/edit/", views.annotation_edit, name="edit"),
    path("annotations/<uuid:pk>/delete/", views.annotation_delete, name="delete"),
    path("annotations/<uuid:pk>/confirm/", views.annotation_confirm, name="confirm"),
    path("articles/<slug:slug>/annotations/", views.article_annotations, name="article_annotations"),
    path("articles/<slug:slug>/annotations/changes/", views.article_changes, name="article_changes"),
]
