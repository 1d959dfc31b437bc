from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def site(request: HttpRequest) -> dict:
    from projects.models import Project

    user = getattr(request, "user", None)
    return {
        "signup_open": settings.SIGNUP_OPEN,
        # The project the page belongs to (set by projects.scope.in_project), and the
        # person's projects for the header's switcher, read only if a page shows them.
        "current_project": getattr(request, "project", None),
        "current_membership": getattr(request, "membership", None),
        # (projects.scope.in_project read them with the membership; other pages ask here).
        "my_projects": getattr(request, "my_projects", None)
        or SimpleLazyObject(
            lambda: list(Project.objects.for_member(user).only("name", "slug"))
            if user is not None
            else []
        ),
    }
