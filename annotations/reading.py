"""What the reading page shows: the body with highlights and the annotation list."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import threading
import time
import zlib
from collections import Counter, OrderedDict
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import get_script_prefix

from reader.models import Article, ArticleProposal, ArticleVersion
from reader.permissions import may_edit_article

from .models import Annotation, AnnotationStance, Stance
from .rendering import Span, highlight_css, render_highlights, stance_combinations


class BadParameter(BadRequest):
    """A query parameter that cannot be used; the message is shown on the 400 page."""

ROW_FIELDS = (
    "id",
    "user_id",
    "user__username",
    "start",
    "end",
    "quote",
    "note",
    "visibility",
    "anchor_status",
    "updated",
    "original_quote",
)


class AnnotationRow:
    """What the reading page needs of an annotation; far cheaper than a model
    instance when an article carries a thousand of them."""

    __slots__ = (
        "pk",
        "user_id",
        "username",
        "start",
        "end",
        "quote",
        "note",
        "visibility",
        "anchor_status",
        "updated",
        "original_quote",
        "stance_list",
    )

    def __init__(self, row: tuple):
        (
            self.pk,
            self.user_id,
            self.username,
            self.start,
            self.end,
            self.quote,
            self.note,
            self.visibility,
            self.anchor_status,
            self.updated,
            self.original_quote,
        ) = row
        self.stance_list: list = []


@dataclass
class Filters:
    stance: int | None = None
    author: str = ""
    mine: bool = False

    @classmethod
    def from_request(cls, request: HttpRequest) -> Filters:
        params = request.GET if request.method == "GET" else request.POST
        stance = params.get("f_stance", "").strip()
        if stance and not (stance.isascii() and stance.isdigit() and len(stance) <= 18):
            raise BadParameter("The stance filter (f_stance) must be a stance number.")
        return cls(
            stance=int(stance) if stance else None,
            author=params.get("f_author", "")[:150],
            mine=params.get("f_mine") == "1",
        )

    @property
    def active(self) -> bool:
        return bool(self.stance or self.author or self.mine)

    def keep(self, annotation: Annotation, user) -> bool:
        if self.mine and annotation.user_id != user.pk:
            return False
        if self.author and annotation.username != self.author:
            return False
        if self.stance and self.stance not in {s.pk for s in annotation.stance_list}:
            return False
        return True


def load_rows(annotations, stances: list[Stance]) -> list[AnnotationRow]:
    """Rows of an annotation queryset with their stances, in two queries whatever the count.

    One query for every tag, attached as plain lists: a prefetch would clone a
    queryset per annotation, which dominates a page with a thousand of them.
    The two queries may see different moments (another person saves in between):
    tags of an annotation or a stance that the first query or ``stances`` did
    not see are left out, and the next change token brings them.
    """
    rows = [AnnotationRow(row) for row in annotations.values_list(*ROW_FIELDS)]
    by_row = {row.pk: row for row in rows}
    by_stance = {s.pk: s for s in stances}
    for annotation_id, stance_id in (
        AnnotationStance.objects.filter(annotation__in=annotations.values("pk"))
        .order_by("stance__order", "stance__name")
        .values_list("annotation_id", "stance_id")
    ):
        row, stance = by_row.get(annotation_id), by_stance.get(stance_id)
        if row is not None and stance is not None:
            row.stance_list.append(stance)
    return rows


def spans_of(rows, *, user_id: int | None) -> list[Span]:
    return [
        Span(
            id=str(r.pk),
            start=r.start,
            end=r.end,
            stance_ids=tuple(s.pk for s in r.stance_list),
            mine=r.user_id == user_id,
        )
        for r in rows
    ]


def visible_on(article: Article, user, membership=None):
    """The annotations of the article the user may see. Through the page's membership when
    it is the user's in the article's project (visible_in: no subquery over every project
    the person is in, a query cheaper to build and to run), else through visible_to."""
    if (
        membership is not None
        and membership.project_id == article.project_id
        and membership.user_id == user.pk
    ):
        return Annotation.objects.visible_in(membership).filter(article=article)
    return Annotation.objects.visible_to(user).filter(article=article)


def visible_summary(
    article: Article, user, membership=None
) -> tuple[int, dt.datetime | None, int]:
    """How many annotations of the article the user may see, their latest change, and
    the article's version (a re-import changes the token even when no annotation does)."""
    seen = visible_on(article, user, membership)
    summary = seen.aggregate(n=Count("pk"), latest=Max("updated"))
    return summary["n"], summary["latest"], article.version


def token_of(count: int, latest: dt.datetime | None, version: int = 1) -> str:
    return f"{version}.{count}.{latest.isoformat() if latest else '-'}"


def change_token(article: Article, user, membership=None) -> str:
    """Changes when anything the user can see on the article changes — and only then."""
    return token_of(*visible_summary(article, user, membership))


def reading_context(
    request: HttpRequest, article: Article, stances: list[Stance] | None = None
) -> dict:
    user = request.user
    filters = Filters.from_request(request)
    visible = visible_on(article, user, getattr(request, "membership", None))
    if stances is None:
        stances = list(Stance.objects.of_project(article.project_id))
    annotations = load_rows(visible.order_by("start", "end", "created"), stances)
    colours = {s.pk: s.colour for s in stances}
    counts = Counter(s.pk for a in annotations for s in a.stance_list)
    authors = sorted({a.username for a in annotations})
    shown = [a for a in annotations if filters.keep(a, user)]
    placed = [a for a in shown if a.anchor_status != Annotation.AnchorStatus.ORPHANED]
    orphaned = [a for a in shown if a.anchor_status == Annotation.AnchorStatus.ORPHANED]
    spans = spans_of(placed, user_id=user.pk)
    latest = max((a.updated for a in annotations), default=None)
    return {
        "article": article,
        "body": render_highlights(article.body_html, spans, colours),
        "highlight_css": highlight_css(stance_combinations(spans, colours), colours),
        "annotations": placed,
        "orphaned": orphaned,
        "total": len(annotations),
        "stances": stances,
        "active_stances": [s for s in stances if s.active],
        "stance_counts": [
            (s, counts.get(s.pk, 0)) for s in stances if s.active or counts.get(s.pk)
        ],
        "authors": authors,
        "filters": filters,
        "token": token_of(len(annotations), latest, article.version),
    }


ANNOTATED = "reader/article_detail.html#annotated"


def _codebook_digest(stances: list[Stance]) -> str:
    """Changes whenever anything the fragment shows of the codebook changes."""
    fields = [(s.pk, s.name, s.colour, s.hotkey, s.order, s.active, s.description) for s in stances]
    return hashlib.sha256(repr(fields).encode()).hexdigest()[:16]


def annotated_fragment(
    request: HttpRequest, article: Article, stances: list[Stance] | None = None
) -> bytes:
    """The body with highlights and the annotation list, as UTF-8, rendered once per state.

    The fragment depends only on the article's text, the annotations this user
    may see (their count and latest change: the change token), the codebook and
    the filters; it carries no CSRF token. Rendering a thousand highlights and
    cards costs tens of milliseconds, so it is kept in the cache under a key
    made of exactly those inputs, per user: nothing one user may see can reach
    another, and any change that matters makes a new key. It is kept encoded:
    a megabyte of markup is then copied into the response, not encoded again
    on every request.

    ``stances`` is the whole codebook in its order, when the caller has it.
    """
    if stances is None:
        stances = list(Stance.objects.of_project(article.project_id))
    seconds = getattr(settings, "STANCE_FRAGMENT_CACHE_SECONDS", 600)
    if not seconds:
        return _render_fragment(request, article, stances)
    filters = Filters.from_request(request)
    key = (
        "annotated:v3:"
        + hashlib.sha256(
            "|".join(
                map(
                    str,
                    (
                        article.pk,
                        article.slug,
                        article.text_hash,
                        request.user.pk,
                        change_token(
                            article, request.user, getattr(request, "membership", None)
                        ),
                        _codebook_digest(stances),
                        filters.stance,
                        filters.author,
                        filters.mine,
                    ),
                )
            ).encode()
        ).hexdigest()
    )
    html = _recent.get(key, max_age=seconds)
    if html is not None:
        return html
    packed = cache.get(key)
    if packed is not None:
        html = zlib.decompress(packed)
    else:
        html = _render_fragment(request, article, stances)
        # Markup compresses about tenfold; the shared cache then moves a tenth of the bytes.
        cache.set(key, zlib.compress(html, 1), seconds)
    _recent.put(key, html)
    return html


def _render_fragment(request: HttpRequest, article: Article, stances: list[Stance]) -> bytes:
    context = reading_context(request, article, stances)
    return render_to_string(ANNOTATED, context, request=request).encode()


class _RecentFragments:
    """The last few fragments this process served, in front of the shared cache.

    Keys name the exact state they were rendered from (see annotated_fragment), so a
    process-local copy can never be stale: a change anywhere makes a new key.
    """

    def __init__(self, max_bytes: int = 32 * 1024 * 1024):
        self.max_bytes = max_bytes
        self.size = 0
        self.items: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str, max_age: float) -> bytes | None:
        with self.lock:
            entry = self.items.get(key)
            if entry is None:
                return None
            stored_at, html = entry
            if time.monotonic() - stored_at > max_age:
                self._drop(key)
                return None
            self.items.move_to_end(key)
            return html

    def put(self, key: str, html: bytes) -> None:
        if len(html) > self.max_bytes:
            return
        with self.lock:
            if key in self.items:
                return
            self.items[key] = (time.monotonic(), html)
            self.size += len(html)
            while self.size > self.max_bytes:
                self._drop(next(iter(self.items)))

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.size = 0

    def _drop(self, key: str) -> None:
        _, html = self.items.pop(key)
        self.size -= len(html)


_recent = _RecentFragments()


def articles_for_reading(project):
    """The project's articles as the reading page reads one: whether proposals wait, whether
    coders are assigned and whether a gold layer exists come in the same query, so an
    article with none of them (most) costs no query for any."""
    return _reading_queryset().in_project(project)


@functools.cache
def _reading_queryset():
    # Built once: resolving three subqueries is most of the cost of making this queryset,
    # and filtering a built one only clones it. It is never evaluated itself.
    gold = apps.get_model("studies", "GoldAnnotation")
    assignment = apps.get_model("studies", "Assignment")
    return (
        Article.objects.for_reading()
        .annotate(
            has_pending_proposals=Exists(
                ArticleProposal.objects.filter(
                    article=OuterRef("pk"), status=ArticleProposal.Status.PENDING
                )
            ),
            has_gold=Exists(gold.objects.filter(article=OuterRef("pk"))),
            has_assignments=Exists(assignment.objects.filter(article=OuterRef("pk"))),
        )
    )


def page_context(request: HttpRequest, article: Article) -> dict:
    """The reading page: the cached fragment (UTF-8) plus the toolbar's codebook."""
    stances = list(Stance.objects.of_project(article.project_id))
    return {
        "article": article,
        "shortcuts_dialog": shortcuts_dialog(article.project.slug, stances),
        "annotated": annotated_fragment(request, article, stances),
        "active_stances": [s for s in stances if s.active],
        "update": last_update(article, request.user),
        "proposals": pending_proposals(
            article, request.user, getattr(request, "membership", None)
        ),
    }


GUIDE_FIELDS = ("name", "colour", "hotkey", "active", "description", "definition",
                "when_to_use", "example", "counter_example")  # fmt: skip


def shortcuts_dialog(project_slug: str, stances: list[Stance]) -> str:
    """The shortcuts list and the coding guide of the active stances, as HTML. Every view
    of every reading page shows it and it changes only with the codebook: it is rendered
    once per codebook state and process."""
    state = tuple(tuple(getattr(s, f) for f in GUIDE_FIELDS) for s in stances if s.active)
    # A guide of very long texts is rendered each time, so the cache stays small.
    size = sum(len(str(value)) for fields in state for value in fields)
    render = _shortcuts_dialog if size <= 40_000 else _shortcuts_dialog.__wrapped__
    return render(get_script_prefix(), project_slug, state)


@functools.lru_cache(maxsize=256)
def _shortcuts_dialog(_prefix: str, project_slug: str, state: tuple) -> str:
    active = [dict(zip(GUIDE_FIELDS, fields, strict=True)) for fields in state]
    return render_to_string(
        "reader/_shortcuts.html", {"project_slug": project_slug, "active_stances": active}
    )


def last_update(article: Article, user) -> dict | None:
    """When the text last changed, and how many of the annotations the user may see
    were moved (not yet confirmed by their owner) or orphaned; None before any change."""
    if article.version <= 1:
        return None
    version = (
        ArticleVersion.objects.filter(article=article, number=article.version)
        .only("number", "created_at")
        .first()
    )
    if version is None:
        return None
    counts = Annotation.objects.visible_to(user).filter(article=article).aggregate(
        moved=Count("pk", filter=Q(anchor_status=Annotation.AnchorStatus.MOVED)),
        orphaned=Count("pk", filter=Q(anchor_status=Annotation.AnchorStatus.ORPHANED)),
    )
    return {"version": version, **counts}


def pending_proposals(article: Article, user, membership=None) -> list:
    """Proposed updates waiting for this user's decision (editors) or their own."""
    if not getattr(article, "has_pending_proposals", True):
        return []
    pending = ArticleProposal.objects.filter(
        article=article, status=ArticleProposal.Status.PENDING
    ).only("pk", "created_at", "proposed_by_id")
    if not may_edit_article(user, article, membership):
        pending = pending.filter(proposed_by_id=user.pk) if user.is_authenticated else pending.none()
    return list(pending[:20])


def forget_rendered_fragments() -> None:
    """Empty this process's copy (the shared cache is cleared by its own means)."""
    _recent.clear()
