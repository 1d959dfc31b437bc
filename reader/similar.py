"""Recognising an article imported before from its text.

An edited file without an address would otherwise become a second article, leaving the
annotations on the first. A text at least 90 % similar to an article of the same project
that shares its title is offered, in the preview, as an update of that article.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Value
from django.db.models.functions import Upper
from rapidfuzz import fuzz

from projects.models import Project

from .models import Article

SIMILARITY_FLOOR = 90.0
# Titles repeat rarely; when one does (a filename used for many texts), the newest few are
# compared and the rest are left alone rather than read whole.
MAX_CANDIDATES = 50


@dataclass(frozen=True)
class SimilarArticle:
    article: Article
    similarity: float  # percent


def _title_key(title: str) -> str:
    return " ".join(title.split()).casefold()


def similar_article(
    *, project: Project, title: str, text: str, source_url: str = ""
) -> SimilarArticle | None:
    """The article of ``project`` with the same title (case and spacing aside) whose text
    is the most similar to ``text``, when it is at least 90 % similar and not identical
    (an identical text is already recognised by its hash).

    Similarity is RapidFuzz's normalised Indel similarity of the canonical texts (what
    the annotations' offsets index). An input with an address is matched by address;
    here it can only update an article that has none.
    """
    key = _title_key(title)
    if not key or not text:
        return None
    candidates = (
        Article.objects.in_project(project)
        # Both sides upper-cased by the database, so the index on UPPER(title) answers
        # (iexact is a LIKE on SQLite, a scan of every article).
        .alias(title_upper=Upper("title"))
        .filter(title_upper=Upper(Value(" ".join(title.split()))))
        .only("pk", "slug", "title", "text", "source_url", "imported_by", "imported_at", "project")
        .select_related("imported_by")
        .order_by("-imported_at", "-pk")
    )
    if source_url:
        candidates = candidates.filter(source_url__isnull=True)
    best: SimilarArticle | None = None
    for article in candidates[:MAX_CANDIDATES]:
        if _title_key(article.title) != key or article.text == text:
            continue
        floor = best.similarity if best else SIMILARITY_FLOOR
        score = fuzz.ratio(text, article.text, score_cutoff=floor)
        if score >= floor and (best is None or score > best.similarity):
            best = SimilarArticle(article, score)
    return best
