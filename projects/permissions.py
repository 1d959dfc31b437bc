"""Who may do what in a project. Every view asks here; nothing checks roles by hand.

A person who is not a member of a project gets 404 for everything of it, exactly as for a
project that never existed. Staff have no special sight: ``is_staff`` is for the admin.
"""

from __future__ import annotations

from django.http import Http404

from .models import Membership, Project, Role, role_at_least


def membership_for(user, project: Project | int) -> Membership | None:
    """The user's membership of the project, or None (logged out, not a member)."""
    if not user.is_authenticated:
        return None
    project_id = project if isinstance(project, int) else project.pk
    return Membership.objects.filter(user=user, project_id=project_id).first()


def get_membership_or_404(user, project_slug: str, *, role: str = Role.VIEWER) -> Membership:
    """The user's membership (with its project) of the project called ``project_slug``.

    404 when there is no such project, when the user is not a member, and when the
    member's role is below ``role``. A view that should tell a member "not with your role"
    (403) asks for the default role and checks ``can_annotate`` / ``can_manage`` itself.
    """
    if not user.is_authenticated:
        raise Http404("No such project.")
    # At most one row (a project's slug is unique, and so is a person's membership of it):
    # no ORDER BY, which would join the users' table to sort one row.
    membership = (
        Membership.objects.select_related("project")
        .filter(user=user, project__slug=project_slug)
        .order_by()[:1]
    )
    membership = membership[0] if membership else None
    if membership is None or not role_at_least(membership.role, role):
        raise Http404("No such project.")
    return membership


def get_project_for_member_or_404(user, project_slug: str) -> Project:
    return get_membership_or_404(user, project_slug).project


def can_view(user, project: Project | int) -> bool:
    membership = membership_for(user, project)
    return membership is not None and membership.can_view


def can_annotate(user, project: Project | int) -> bool:
    membership = membership_for(user, project)
    return membership is not None and membership.can_annotate


def can_import(user, project: Project | int) -> bool:
    return can_annotate(user, project)


def can_manage(user, project: Project | int) -> bool:
    membership = membership_for(user, project)
    return membership is not None and membership.can_manage


def can_curate(user, project: Project | int) -> bool:
    membership = membership_for(user, project)
    return membership is not None and membership.can_curate


def member_project_ids(user, *, role: str = Role.VIEWER):
    """A subquery of the ids of the user's projects, for ``project_id__in=`` filters."""
    return Project.objects.for_member(user, role=role).values("pk")
