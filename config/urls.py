from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from projects import views as project_views

# Everything of a project lives under /p/<project>/; a person who is not a member gets 404
# for all of it (projects.scope.in_project).
in_project = [
    path("", include("reader.urls")),
    path("", include("annotations.article_urls")),
    path("", include("projects.urls")),
    path("", include("studies.urls")),
    path("export/", include(("annotations.export_urls", "export"), namespace="project_export")),
]

urlpatterns = [
    path("", project_views.home, name="home"),
    path("projects/new/", project_views.project_new, name="project_new"),
    path("projects/switcher/", project_views.project_switcher, name="project_switcher"),
    path("invite/<str:token>/", project_views.invitation_accept, name="invitation_accept"),
    path("p/<slug:project>/", include(in_project)),
    path("", include("annotations.urls")),
    # Exports over every project the person belongs to.
    path("export/", include("annotations.export_urls")),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include("reader.legacy_urls")),
]

handler400 = "reader.views.bad_request"
