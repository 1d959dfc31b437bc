"""Writes to annotations. Each is one transaction; views only call these."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

import regex
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from reader.models import Article

from .anchoring import ORPHANED, context, reanchor, reanchor_many
from .models import Annotation, AnnotationStance, Stance


class AnnotationError(ValueError):
    """Input that cannot become an annotation; the message is shown to the person."""


class StaleVersion(Exception):
    """The annotation changed since the editor loaded it."""

    def __init__(self, current: Annotation):
        super().__init__("This annotation was changed elsewhere; your edit was not saved.")
        self.current = current


_GRAPHEME = regex.compile(r"\X")


def _splits_a_character(text: str, position: int) -> bool:
    """Whether position falls inside one user-perceived character (an emoji sequence such
    as a flag or a skin tone, or a letter with a combining accent)."""
    if position <= 0 or position >= len(text):
        return False
    # Graphemes never span a block separator, so scanning from the line start is enough.
    line_start = text.rfind("\n", 0, position) + 1
    for match in _GRAPHEME.finditer(text, line_start):
        if match.end() >= position:
            return match.end() != position and match.start() != position
    return False


def check_selection(text: str, *, start: int, end: int, quote: str) -> None:
    if start < 0 or end < 0:
        raise AnnotationError("Offsets cannot be negative.")
    if start >= end:
        raise AnnotationError("The selection is empty: its end must come after its start.")
    if end > len(text):
        raise AnnotationError(
            f"The selection ends at {end}, past the end of the article ({len(text)} characters)."
        )
    if text[start:end] != quote:
        raise AnnotationError(
            "The selected text does not match the article at those offsets; "
            "reload the page and select again."
        )
    if _splits_a_character(text, start) or _splits_a_character(text, end):
        raise AnnotationError(
            "The selection cuts an emoji or an accented character in two; select whole characters."
        )


RELOAD = "The article was updated while you were reading it; reload the page and select again."


def _current_article(pk: int) -> Article:
    """The article row read inside the write transaction, locked against a concurrent
    update on PostgreSQL (SQLite's IMMEDIATE transactions already hold the write lock)."""
    return Article.objects.select_for_update().only("pk", "text", "version", "slug").get(pk=pk)


def _place_on_current(text: str, seen: str, *, start: int, end: int, quote: str) -> tuple[int, int]:
    """Where a selection made on ``seen`` lies in ``text``: the same quote in the same
    context, or nothing (AnnotationError asking to reload)."""
    if not (0 <= start < end <= len(seen)) or seen[start:end] != quote:
        raise AnnotationError(RELOAD)
    prefix, suffix = context(seen, start, end)
    anchor = reanchor(text, start=start, end=end, quote=quote, prefix=prefix, suffix=suffix)
    if anchor.status == ORPHANED or text[anchor.start : anchor.end] != quote:
        raise AnnotationError(RELOAD)
    return anchor.start, anchor.end


def creating_too_fast(user) -> bool:
    """Whether the person has made as many annotations as settings.ANNOTATION_CREATE_RATES
    allow: by default 4 in the last second and 60 in the last minute (an empty
    setting turns the limit off).

    The limit counts the person's own annotations by creation time, in one query
    on the (user, created) index: a save costs no counter store and no extra
    write, and the windows slide, so a burst across a minute's boundary is held
    to the same limit.
    """
    rates = settings.ANNOTATION_CREATE_RATES
    if not rates:
        return False
    now = timezone.now()
    since = {seconds: now - dt.timedelta(seconds=seconds) for seconds, _ in rates}
    # Imports have their own hourly quota (settings.ANNOTATION_IMPORT_PER_HOUR).
    counts = Annotation.objects.filter(
        user=user, created__gte=min(since.values()), imported=False
    ).aggregate(
        **{
            f"s{seconds}": Count("pk", filter=Q(created__gte=since[seconds]))
            for seconds, _ in rates
        }
    )
    return any(counts[f"s{seconds}"] >= most for seconds, most in rates)


def _add_stances(annotation: Annotation, stances: Iterable[Stance]) -> None:
    AnnotationStance.objects.bulk_create(
        [
            AnnotationStance(annotation=annotation, stance=s)
            for s in {s.pk: s for s in stances}.values()
        ]
    )


def _set_stances(annotation: Annotation, stances: Iterable[Stance]) -> None:
    # Only the difference is written: a tag that stays keeps its row.
    wanted = {s.pk: s for s in stances}
    AnnotationStance.objects.filter(annotation=annotation).exclude(stance__in=wanted).delete()
    kept = set(
        AnnotationStance.objects.filter(annotation=annotation).values_list("stance", flat=True)
    )
    _add_stances(annotation, [s for pk, s in wanted.items() if pk not in kept])


@transaction.atomic
def annotation_create(
    *,
    user,
    article: Article,
    start: int,
    end: int,
    quote: str,
    stances: Iterable[Stance] = (),
    note: str = "",
    visibility: str = Annotation.Visibility.SHARED,
    token: uuid.UUID | None = None,
) -> Annotation:
    """A new annotation; with a token already used by this user, the one made then
    (``made_before`` is set on it), so a repeated save is never a second annotation."""
    earlier = made_with_token(user, token)
    if earlier is not None:
        return earlier
    seen = article.text
    # The text the person selected on may have been replaced since the form read it: the
    # check uses the row as it is inside this transaction.
    article = _current_article(article.pk)
    if article.text != seen:
        start, end = _place_on_current(article.text, seen, start=start, end=end, quote=quote)
    check_selection(article.text, start=start, end=end, quote=quote)
    prefix, suffix = context(article.text, start, end)
    try:
        with transaction.atomic():
            annotation = Annotation.objects.create(
                article=article,
                article_version=article.version,
                user=user,
                start=start,
                end=end,
                quote=quote,
                prefix=prefix,
                suffix=suffix,
                note=note,
                visibility=visibility,
                # From Article.objects.for_reading(), which brings its project along.
                codebook_version=article.project.codebook_version or None,
                client_token=token,
            )
    except IntegrityError:
        # A concurrent request with the same token committed first (PostgreSQL waits
        # on the unique index, then refuses this row).
        earlier = made_with_token(user, token)
        if earlier is None:
            raise
        return earlier
    _add_stances(annotation, stances)
    annotation.made_before = False
    return annotation


def made_with_token(user, token: uuid.UUID | None) -> Annotation | None:
    if token is None:
        return None
    earlier = Annotation.objects.filter(user=user, client_token=token).first()
    if earlier is not None:
        earlier.made_before = True
    return earlier


@transaction.atomic
def annotation_update(
    *,
    annotation: Annotation,
    version: int,
    stances: Iterable[Stance],
    note: str,
    visibility: str,
) -> Annotation:
    """Owner's edit; refused with StaleVersion when ``version`` is not the current one,
    unless the annotation already is what the edit asks for (the same edit sent twice).

    Saving what is already stored writes nothing, not even a new version: a form
    submitted untouched must not make a second tab's copy stale.
    """
    stances = list(stances)
    stored = Annotation.objects.with_related().get(pk=annotation.pk)
    if (
        stored.note == note
        and stored.visibility == visibility
        and {s.pk for s in stored.stances.all()} == {s.pk for s in stances}
    ):
        return stored
    changed = Annotation.objects.filter(pk=annotation.pk, version=version).update(
        note=note, visibility=visibility, version=F("version") + 1, updated=timezone.now()
    )
    current = Annotation.objects.with_related().get(pk=annotation.pk)
    if not changed:
        already = (
            current.note == note
            and current.visibility == visibility
            and {s.pk for s in current.stances.all()} == {s.pk for s in stances}
        )
        if already:
            return current
        raise StaleVersion(current)
    _set_stances(current, stances)
    return Annotation.objects.with_related().get(pk=annotation.pk)


@transaction.atomic
def annotation_delete(*, annotation: Annotation) -> None:
    annotation.delete()


@transaction.atomic
def annotations_reanchor(*, article: Article) -> dict[str, int]:
    """Place every annotation of the article on its current text; never delete one.

    A placed annotation points into the article's current version from then on; an
    orphaned one keeps the version and selectors it was made on. A moved one keeps the
    quote it was made on (``original_quote``) until its owner confirms the new place.
    """
    counts = {status: 0 for status in Annotation.AnchorStatus.values}
    changed = []
    annotations = list(
        Annotation.objects.filter(article=article).only(
            "id",
            "start",
            "end",
            "quote",
            "prefix",
            "suffix",
            "anchor_status",
            "article_version",
            "original_quote",
        )
    )
    for annotation, anchor in zip(
        annotations, reanchor_many(article.text, annotations), strict=True
    ):
        counts[anchor.status] += 1
        if anchor.status == Annotation.AnchorStatus.ORPHANED:
            # Keep the stored selectors as they were: they are what the reader
            # wrote, and what a later re-anchoring can still use.
            if annotation.anchor_status != anchor.status:
                annotation.anchor_status = anchor.status
                changed.append(annotation)
            continue
        prefix, suffix = context(article.text, anchor.start, anchor.end)
        new_quote = article.text[anchor.start : anchor.end]
        if new_quote != annotation.quote and not annotation.original_quote:
            annotation.original_quote = annotation.quote
        elif new_quote == annotation.original_quote:
            annotation.original_quote = ""
        annotation.start, annotation.end = anchor.start, anchor.end
        annotation.quote = new_quote
        annotation.prefix, annotation.suffix = prefix, suffix
        annotation.anchor_status = anchor.status
        annotation.article_version = article.version
        changed.append(annotation)
    Annotation.objects.bulk_update(
        changed,
        [
            "start",
            "end",
            "quote",
            "prefix",
            "suffix",
            "anchor_status",
            "article_version",
            "original_quote",
        ],
        batch_size=500,
    )
    return counts


@transaction.atomic
def annotation_confirm_place(*, annotation: Annotation) -> None:
    """The owner accepts where a moved annotation now sits."""
    Annotation.objects.filter(pk=annotation.pk, anchor_status=Annotation.AnchorStatus.MOVED).update(
        anchor_status=Annotation.AnchorStatus.ANCHORED,
        original_quote="",
        updated=timezone.now(),
        version=F("version") + 1,
    )


@transaction.atomic
def annotation_reanchor_to(*, annotation: Annotation, start: int, end: int, quote: str) -> None:
    """The owner points a moved or orphaned annotation at a passage of the current text."""
    article = _current_article(annotation.article_id)
    check_selection(article.text, start=start, end=end, quote=quote)
    prefix, suffix = context(article.text, start, end)
    Annotation.objects.filter(pk=annotation.pk).update(
        start=start,
        end=end,
        quote=quote,
        prefix=prefix,
        suffix=suffix,
        anchor_status=Annotation.AnchorStatus.ANCHORED,
        original_quote="",
        article_version=article.version,
        updated=timezone.now(),
        version=F("version") + 1,
    )
