from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("reader.urls")),
    path("", include("annotations.urls")),
    path("export/", include("annotations.export_urls")),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "reader.views.bad_request"
