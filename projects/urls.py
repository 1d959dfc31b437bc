from __future__ import annotations

from django.urls import path

from . import views

app_name = "projects"

# Inside a project: mounted at /p/<project>/ (config/urls.py).
urlpatterns = [
    path("codebook/", views.codebook_page, name="codebook"),
    path("codebook.json", views.codebook_json, name="codebook_json"),
    path("codebook/new/", views.stance_edit, name="stance_new"),
    path("codebook/<int:pk>/", views.stance_edit, name="stance_edit"),
    path("codebook/<int:pk>/active/", views.stance_active, name="stance_active"),
    path("members/", views.members_page, name="members"),
    path("members/<int:pk>/role/", views.member_role, name="member_role"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("members/invitations/", views.invitation_new, name="invitation_new"),
    path("members/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
]
