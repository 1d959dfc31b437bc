"""Who may change an article that others read and have annotated."""

from __future__ import annotations

from projects.models import Membership, Role

from .models import Article


def may_edit_article(user, article: Article, membership: Membership | None = None) -> bool:
    """The project's managers, and the importer while still an annotator there, may
    replace an article's text or edit its details; anyone else proposes.

    Staff get nothing more here: ``is_staff`` is for the admin. ``membership`` is the
    user's membership when the caller has it already.
    """
    if user is None or not user.is_authenticated:
        return False
    if membership is not None and membership.project_id == article.project_id:
        role = membership.role  # the view's own, read once per request
    else:
        role = (
            Membership.objects.filter(project_id=article.project_id, user=user)
            .values_list("role", flat=True)
            .first()
        )
    if role == Role.MANAGER:
        return True
    return role == Role.ANNOTATOR and article.imported_by_id == user.pk
