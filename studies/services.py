"""Writes of a coding study: assignments, submissions, reopenings, adjudication."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone

from annotations.models import Annotation, Stance
from annotations.services import check_selection
from reader.models import Article

from .agreement import DEFAULT_THETA, Span, align_units
from .models import (
    Adjudication,
    Assignment,
    GoldAnnotation,
    Reopening,
    SnapshotAnnotation,
    Submission,
)


class StudyError(ValueError):
    """A study action that cannot be done, with a message a person can act on."""


def _codebook_version(annotation: Annotation) -> int | None:
    version = getattr(annotation, "codebook_version", None)
    return getattr(version, "number", version)


@transaction.atomic
def assignments_create(
    *,
    articles: Sequence[Article],
    coders: Sequence,
    assigned_by,
    per_article: int | None = None,
    rng: random.Random | None = None,
) -> int:
    """Put articles in coders' queues: every coder given, or `per_article` of them
    drawn at random for each article. Existing assignments stay; returns how many
    were added."""
    coders = list(coders)
    if per_article is not None and not 1 <= per_article <= len(coders):
        raise StudyError(f"Choose between 1 and {len(coders)} coders per article.")
    rng = rng or random.Random()
    wanted = []
    for article in articles:
        chosen = coders if per_article is None else rng.sample(coders, per_article)
        wanted.extend(Assignment(article=article, coder=c, assigned_by=assigned_by) for c in chosen)
    before = Assignment.objects.filter(article__in=articles).count()
    Assignment.objects.bulk_create(wanted, ignore_conflicts=True)
    return Assignment.objects.filter(article__in=articles).count() - before


def latest_submission(*, article: Article, coder) -> Submission | None:
    return Submission.objects.filter(article=article, coder=coder).order_by("-round").first()


def open_reopening(submission: Submission | None) -> Reopening | None:
    if submission is None:
        return None
    return submission.reopenings.filter(used_at__isnull=True).first()


@transaction.atomic
def submission_create(*, article: Article, coder) -> Submission:
    """Freeze the coder's shared annotations on the article as a new round.

    A second round needs a reopening the manager allowed; it is marked used.
    Private annotations never enter a study.
    """
    previous = latest_submission(article=article, coder=coder)
    reopening = open_reopening(previous)
    if previous is not None and reopening is None:
        raise StudyError("You have already submitted your coding of this article.")
    annotations = list(
        Annotation.objects.filter(
            article=article, user=coder, visibility=Annotation.Visibility.SHARED
        )
        .exclude(anchor_status=Annotation.AnchorStatus.ORPHANED)
        .prefetch_related("stances")
        .order_by("start", "end", "created")
    )
    versions = [v for v in (_codebook_version(a) for a in annotations) if v is not None]
    submission = Submission.objects.create(
        article=article,
        coder=coder,
        round=(previous.round + 1) if previous else 1,
        codebook_version=max(versions) if versions else None,
    )
    SnapshotAnnotation.objects.bulk_create(
        SnapshotAnnotation(
            submission=submission,
            annotation_id=a.pk,
            start=a.start,
            end=a.end,
            quote=a.quote,
            note=a.note,
            stances=[s.name for s in a.stances.all()],
            codebook_version=_codebook_version(a),
        )
        for a in annotations
    )
    if reopening is not None:
        reopening.used_at = timezone.now()
        reopening.save(update_fields=["used_at"])
    return submission


@transaction.atomic
def reopening_allow(*, submission: Submission, allowed_by, reason: str = "") -> Reopening:
    if open_reopening(submission) is not None:
        raise StudyError("This submission is already reopened.")
    return Reopening.objects.create(submission=submission, allowed_by=allowed_by, reason=reason)


# ------------------------------------------------------------------ adjudication


def snapshot_spans(article: Article) -> list[Span]:
    """The latest submitted round of every coder of the article, as spans whose id is
    the snapshot row."""
    rows = SnapshotAnnotation.objects.filter(
        submission__in=Submission.objects.filter(article=article).latest_rounds()
    ).select_related("submission__coder")
    return [
        Span(r.submission.coder.username, r.start, r.end, frozenset(r.stances), r.pk, r.note)
        for r in rows
    ]


def _stances_named(article: Article, names: Iterable[str]) -> list[Stance]:
    names = set(names)
    stances = Stance.objects.filter(name__in=names)
    project_id = getattr(article, "project_id", None)
    if project_id is not None and hasattr(Stance, "project"):
        stances = stances.filter(project_id=project_id)
    return list(stances)


@transaction.atomic
def adjudication_decide(
    *,
    article: Article,
    sources: Sequence[SnapshotAnnotation],
    decision: str,
    curator,
    start: int | None = None,
    end: int | None = None,
    stances: Iterable[str] = (),
    note: str = "",
) -> Adjudication:
    """Settle one unit: a gold annotation (unless rejected) linked to the unit's versions."""
    if not sources:
        raise StudyError("A decision needs the versions it settles.")
    if decision not in Adjudication.Decision.values:
        raise StudyError("Unknown decision.")
    Adjudication.objects.filter(article=article, sources__in=sources).delete()
    adjudication = Adjudication.objects.create(
        article=article,
        unit_start=min(s.start for s in sources),
        unit_end=max(s.end for s in sources),
        decision=decision,
        curator=curator,
        note=note,
    )
    adjudication.sources.set(sources)
    if decision != Adjudication.Decision.REJECTED:
        if start is None or end is None:
            raise StudyError("Say where the gold annotation begins and ends.")
        quote = article.text[start:end]
        check_selection(article.text, start=start, end=end, quote=quote)
        gold = GoldAnnotation.objects.create(
            article=article,
            adjudication=adjudication,
            start=start,
            end=end,
            quote=quote,
            note=note,
            curator=curator,
        )
        gold.stances.set(_stances_named(article, stances))
    return adjudication


def decided_source_ids(article: Article) -> set[int]:
    return set(
        Adjudication.sources.through.objects.filter(adjudication__article=article).values_list(
            "snapshotannotation_id", flat=True
        )
    )


@transaction.atomic
def adjudication_accept_agreeing(
    *, article: Article, curator, coders: Sequence[str], theta: float = DEFAULT_THETA
) -> int:
    """Accept, in one action, every undecided unit on which all coders agree (same
    stances, IoU >= theta); gold takes the median start and end of the versions."""
    spans = snapshot_spans(article)
    done = decided_source_ids(article)
    rows = {r.pk: r for r in SnapshotAnnotation.objects.filter(pk__in=[s.id for s in spans])}
    accepted = 0
    for unit in align_units(spans, theta):
        ids = [s.id for s in unit.spans.values()]
        if not unit.agrees(coders, theta) or any(i in done for i in ids):
            continue
        versions = list(unit.spans.values())
        starts = sorted(v.start for v in versions)
        ends = sorted(v.end for v in versions)
        start, end = starts[len(starts) // 2], ends[len(ends) // 2]
        if end <= start:
            start, end = versions[0].start, versions[0].end
        adjudication_decide(
            article=article,
            sources=[rows[i] for i in ids],
            decision=Adjudication.Decision.ACCEPTED,
            curator=curator,
            start=start,
            end=end,
            stances=versions[0].stances,
        )
        accepted += 1
    return accepted
