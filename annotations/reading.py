"""What the reading page shows: the body with highlights and the annotation list."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Max
from django.http import HttpRequest

from reader.models import Article

from .models import Annotation, AnnotationStance, Stance
from .rendering import Span, render_highlights


@dataclass
class Filters:
    stance: int | None = None
    author: str = ""
    mine: bool = False

    @classmethod
    def from_request(cls, request: HttpRequest) -> Filters:
        params = request.GET if request.method == "GET" else request.POST
        stance = params.get("f_stance", "")
        return cls(
            stance=int(stance) if stance.isdigit() else None,
            author=params.get("f_author", "")[:150],
            mine=params.get("f_mine") == "1",
        )

    @property
    def active(self) -> bool:
        return bool(self.stance or self.author or self.mine)

    def keep(self, annotation: Annotation, user) -> bool:
        if self.mine and annotation.user_id != user.pk:
            return False
        if self.author and annotation.user.get_username() != self.author:
            return False
        if self.stance and self.stance not in {s.pk for s in annotation.stance_list}:
            return False
        return True


def change_token(article: Article, user) -> str:
    """Changes when anything the user can see on the article changes — and only then."""
    seen = Annotation.objects.visible_to(user).filter(article=article)
    summary = seen.aggregate(n=Count("pk"), latest=Max("updated"))
    latest = summary["latest"].isoformat() if summary["latest"] else "-"
    return f"{summary['n']}.{latest}"


def reading_context(request: HttpRequest, article: Article) -> dict:
    user = request.user
    filters = Filters.from_request(request)
    visible = Annotation.objects.visible_to(user).filter(article=article)
    annotations = list(visible.select_related("user").order_by("start", "end", "created"))
    stances = list(Stance.objects.all())
    by_id = {s.pk: s for s in stances}
    # One query for every tag, attached as plain lists: a prefetch would clone a
    # queryset per annotation, which dominates a page with a thousand of them.
    tags: dict = {}
    for annotation_id, stance_id in (
        AnnotationStance.objects.filter(annotation__in=visible)
        .order_by("stance__order", "stance__name")
        .values_list("annotation_id", "stance_id")
    ):
        tags.setdefault(annotation_id, []).append(by_id[stance_id])
    for a in annotations:
        a.stance_list = tags.get(a.pk, [])
    colours = {s.pk: s.colour for s in stances}
    counts = Counter(s.pk for a in annotations for s in a.stance_list)
    authors = sorted({a.user.get_username() for a in annotations})
    shown = [a for a in annotations if filters.keep(a, user)]
    placed = [a for a in shown if a.anchor_status != Annotation.AnchorStatus.ORPHANED]
    orphaned = [a for a in shown if a.anchor_status == Annotation.AnchorStatus.ORPHANED]
    spans = [
        Span(
            id=str(a.pk),
            start=a.start,
            end=a.end,
            stance_ids=tuple(s.pk for s in a.stance_list),
            mine=a.user_id == user.pk,
        )
        for a in placed
    ]
    latest = max((a.updated for a in annotations), default=None)
    return {
        "article": article,
        "body": render_highlights(article.body_html, spans, colours),
        "annotations": placed,
        "orphaned": orphaned,
        "total": len(annotations),
        "stances": stances,
        "active_stances": [s for s in stances if s.active],
        "stance_counts": [(s, counts.get(s.pk, 0)) for s in stances if s.active or counts.get(s.pk)],
        "authors": authors,
        "filters": filters,
        "token": f"{len(annotations)}.{latest.isoformat() if latest else '-'}",
    }
