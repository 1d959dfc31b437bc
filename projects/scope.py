"""Views inside a project: ``/p/<project>/…``.

``in_project`` resolves the ``project`` URL argument to the person's membership before the
view runs. A person who is not a member gets 404, exactly as for a project that never
existed; a member whose role is too low for the view gets 403 with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .models import Role, role_at_least
from .permissions import get_membership_or_404

ROLE_NEEDED = {
    Role.ANNOTATOR: "Viewers read and export; annotating and importing need the annotator role.",
    Role.MANAGER: "Only the project's managers can do this.",
}


def require_role(membership, role: str) -> None:
    if not role_at_least(membership.role, role):
        raise PermissionDenied(ROLE_NEEDED.get(role, "Your role in this project does not allow this."))


def in_project(role: str = Role.VIEWER) -> Callable:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, project: str, *args, **kwargs) -> HttpResponse:
            # One query: the membership (with its project). The header's switcher lists the
            # person's other projects when it is opened (projects.views.project_switcher),
            # so a page costs the same however many projects the person is in.
            membership = get_membership_or_404(request.user, project)
            request.project = membership.project
            request.membership = membership
            require_role(membership, role)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
