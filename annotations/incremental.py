"""A new annotation, shown without re-rendering the whole article.

On an article with a thousand highlights the full fragment is a megabyte that
the server renders and the browser swaps. A save changes far less: the blocks
the new quote touches, one card, the counts and the change token. Those go
back as htmx out-of-band swaps; everything else stays as it is.
"""

from __future__ import annotations

import datetime as dt

import lxml.html
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django_htmx.http import reswap, trigger_client_event
from lxml import etree

from reader.importing.sanitize import BLOCK_TAGS
from reader.models import Article

from .cards import render_card
from .models import Annotation, AnnotationStance, Stance
from .reading import Filters, load_rows, spans_of, token_of
from .rendering import highlight_css, render_highlights, stance_combinations

READING = "reader/article_detail.html"


def _touched_blocks(body_html: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """(offset, end offset, HTML) of each block that [start, end) overlaps."""
    root = lxml.html.fragment_fromstring(f"<div>{body_html}</div>")
    touched = []
    for block in root.iter(*BLOCK_TAGS):
        offset = block.get("data-offset")
        if offset is None:
            continue
        first = int(offset)
        last = first + len(block.text_content())
        if first < end and last > start:
            block.tail = None
            touched.append((first, last, etree.tostring(block, encoding="unicode", method="html")))
    return touched


def annotation_added(
    request: HttpRequest,
    article: Article,
    annotation: Annotation,
    *,
    before: tuple[int, dt.datetime | None, int],
) -> HttpResponse | None:
    """The out-of-band update for a new annotation, or None when a full render is needed.

    ``before`` is what the user could see just before the save (the count, the
    latest change and the article's version, as the page's token showed them). The page's new token is
    that plus this annotation: if someone else saved in between, it will not
    match the server's, and the page's poller fetches the whole fragment.
    """
    user = request.user
    if Filters.from_request(request).active:
        return None
    count_before, latest_before, _version = before
    if count_before == 0:
        return None  # the list's "no annotations yet" line goes too: render it whole
    visible = Annotation.objects.visible_to(user).filter(article=article)
    blocks = _touched_blocks(article.body_html, annotation.start, annotation.end)
    if not blocks:
        return None
    low, high = blocks[0][0], blocks[-1][1]
    stances = list(Stance.objects.of_project(article.project_id))
    placed = visible.exclude(anchor_status=Annotation.AnchorStatus.ORPHANED)
    rows = {row.pk: row for row in load_rows(placed.filter(start__lt=high, end__gt=low), stances)}
    spans = spans_of(rows.values(), user_id=user.pk)
    colours = {s.pk: s.colour for s in stances}
    parts = []
    css = highlight_css(stance_combinations(spans, colours), colours)
    if css:
        # Rules for the combinations these blocks use; a repeat of a rule already there is harmless.
        parts.append(f'<div hx-swap-oob="beforeend:#hl-styles"><style>{css}</style></div>')
    for first, _, block_html in blocks:
        marked = render_highlights(block_html, spans, colours)
        target = f"outerHTML:#article-body [data-offset=&quot;{first}&quot;]"
        parts.append(
            marked.replace(
                f' data-offset="{first}"', f' data-offset="{first}" hx-swap-oob="{target}"', 1
            )
        )

    new = rows[annotation.pk]
    following = (
        placed.filter(
            Q(start__gt=new.start)
            | Q(start=new.start, end__gt=new.end)
            | Q(start=new.start, end=new.end, created__gt=annotation.created)
        )
        .order_by("start", "end", "created")
        .values_list("pk", flat=True)
        .first()
    )
    where = f"beforebegin:#ann-{following}" if following else "beforeend:#annotation-list"
    parts.append(f'<div hx-swap-oob="{where}">{render_card(new, user_id=user.pk)}</div>')

    counts = dict(
        AnnotationStance.objects.filter(annotation__in=visible)
        .values_list("stance")
        .annotate(n=Count("pk"))
        .order_by()
    )
    total = count_before + 1
    latest = max(annotation.updated, latest_before) if latest_before else annotation.updated
    context = {
        "oob": True,
        "article": article,
        "total": total,
        "token": token_of(total, latest, article.version),
        "stance_counts": [
            (s, counts.get(s.pk, 0)) for s in stances if s.active or counts.get(s.pk)
        ],
        "authors": sorted(set(visible.values_list("user__username", flat=True))),
        "filters": Filters(),
    }
    for partial in ("poller", "seen", "total", "legend", "author-filter"):
        parts.append(render_to_string(f"{READING}#{partial}", context, request=request))
    response = reswap(HttpResponse("\n".join(parts)), "none")
    return trigger_client_event(response, "annotations-changed")
