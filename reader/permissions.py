"""Who may change an article that others read and have annotated."""

from __future__ import annotations

from .models import Article


def may_edit_article(user, article: Article) -> bool:
    """The importer and staff may replace an article's text; anyone else proposes."""
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_staff or (article.imported_by_id and article.imported_by_id == user.pk))
