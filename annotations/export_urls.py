from __future__ import annotations

from django.urls import path

from . import export_views

app_name = "export"

urlpatterns = [
    path("annotations.csv", export_views.annotations_csv, name="annotations_csv"),
    path("annotations.jsonld", export_views.annotations_jsonld, name="annotations_jsonld"),
    path("import-annotations/", export_views.annotations_import, name="annotations_import"),
    path("fetch-missing-pages/", export_views.fetch_missing_pages, name="fetch_missing_pages"),
]
