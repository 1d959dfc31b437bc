"""Reading a study's coding out of the database into the plain data agreement uses."""

from __future__ import annotations

from collections.abc import Sequence

from annotations.models import Annotation, AnnotationStance

from .agreement import ArticleCoding, Span
from .models import SnapshotAnnotation, Submission


def submitted_coding(article, users: Sequence[str] | None = None) -> ArticleCoding:
    """Each coder's latest submitted round; coders who did not submit are missing."""
    latest = Submission.objects.filter(article=article).latest_rounds()
    if users is not None:
        latest = latest.filter(coder__username__in=users)
    coders = sorted(latest.values_list("coder__username", flat=True))
    if users is not None:
        coders = [u for u in users if u in coders]
    rows = SnapshotAnnotation.objects.filter(submission__in=latest).values_list(
        "pk", "submission__coder__username", "start", "end", "stances", "note"
    )
    spans = [Span(c, s, e, frozenset(st), pk, note) for pk, c, s, e, st, note in rows]
    return ArticleCoding(article.slug, len(article.text), coders, spans)


def shared_coding(article, users: Sequence[str] | None = None) -> ArticleCoding:
    """Shared annotations of everyone (or of `users`, each of whom then counts as a
    coder even without annotations); private ones never enter."""
    shared = Annotation.objects.filter(
        article=article, visibility=Annotation.Visibility.SHARED
    ).exclude(anchor_status=Annotation.AnchorStatus.ORPHANED)
    if users is not None:
        shared = shared.filter(user__username__in=users)
    rows = list(shared.values_list("pk", "user__username", "start", "end", "note"))
    names: dict = {}
    for annotation_id, name in AnnotationStance.objects.filter(
        annotation__in=shared.values("pk")
    ).values_list("annotation_id", "stance__name"):
        names.setdefault(annotation_id, set()).add(name)
    spans = [Span(u, s, e, frozenset(names.get(pk, ())), pk, note) for pk, u, s, e, note in rows]
    coders = list(users) if users is not None else sorted({s.coder for s in spans})
    return ArticleCoding(article.slug, len(article.text), coders, spans)


def article_coding(article, *, blind: bool, users: Sequence[str] | None = None) -> ArticleCoding:
    return submitted_coding(article, users) if blind else shared_coding(article, users)
