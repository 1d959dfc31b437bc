from __future__ import annotations

from django.urls import path

from . import views

app_name = "annotations"

# Annotations are addressed by their unguessable id wherever they are; each view checks
# the person's membership of the annotation's project.
urlpatterns = [
    path("annotations/new/", views.annotation_create, name="create"),
    path("annotations/<uuid:pk>/", views.annotation_detail, name="detail"),
    path("annotations/<uuid:pk>/edit/", views.annotation_edit, name="edit"),
    path("annotations/<uuid:pk>/delete/", views.annotation_delete, name="delete"),
    path("annotations/<uuid:pk>/confirm/", views.annotation_confirm, name="confirm"),
]
