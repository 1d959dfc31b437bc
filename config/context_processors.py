from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    return {
        "signup_open": settings.SIGNUP_OPEN,
        # The project the page belongs to and the person's membership of it (set by
        # projects.scope.in_project).
        "current_project": getattr(request, "project", None),
        "current_membership": getattr(request, "membership", None),
    }
