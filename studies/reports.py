"""A project's study read from the database: settings, agreement, progress, charts' numbers."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from django.db.models import Exists, OuterRef

from annotations.models import Annotation, AnnotationStance, Stance
from reader.models import Article

from . import agreement
from .agreement import DEFAULT_THETA, ArticleCoding, Span
from .data import article_coding
from .models import Assignment, GoldAnnotation, Submission

# ------------------------------------------------------------------ settings

SETTING_BLIND = "blind"
SETTING_HIDE_NAMES = "hide_coder_names"
SETTING_THETA = "agreement_theta"
SETTING_NOTE_AS_CONCEPT = "note_as_concept"


def is_blind(project) -> bool:
    return bool((project.settings or {}).get(SETTING_BLIND))


def hides_names(project) -> bool:
    return bool((project.settings or {}).get(SETTING_HIDE_NAMES))


def theta_of(project) -> float:
    return float((project.settings or {}).get(SETTING_THETA, DEFAULT_THETA))


def may_curate(membership) -> bool:
    return membership is not None and (membership.can_manage or membership.can_curate)


def may_see_study(membership) -> bool:
    """Agreement figures and every coder's versions: in a blind project only managers and
    curators see them (a coder would otherwise see the others' work before submitting)."""
    if membership is None:
        return False
    return may_curate(membership) or not is_blind(membership.project)


# ------------------------------------------------------------------ the study


def project_stances(project) -> list[Stance]:
    return list(Stance.objects.filter(project=project).order_by("order", "name"))


def study_articles(project):
    """Articles of the project with something to compare: submissions in a blind project,
    shared annotations otherwise."""
    # Agreement needs each text's length, never the raw input, the cleaning report or the HTML.
    articles = Article.objects.filter(project=project).defer(
        "raw_input", "cleaning_report", "body_html"
    )
    if is_blind(project):
        has = Exists(Submission.objects.filter(article=OuterRef("pk")))
    else:
        has = Exists(
            Annotation.objects.filter(
                article=OuterRef("pk"), visibility=Annotation.Visibility.SHARED
            )
        )
    return articles.filter(has).order_by("published", "pk")


def codings(project, *, articles=None, users: Sequence[str] | None = None) -> list[ArticleCoding]:
    blind = is_blind(project)
    articles = study_articles(project) if articles is None else articles
    return [article_coding(a, blind=blind, users=users) for a in articles]


def agreement_json(
    project,
    *,
    article_slug: str | None = None,
    users: Sequence[str] | None = None,
    theta: float | None = None,
) -> dict:
    """The `agreement --json` document."""
    theta = theta_of(project) if theta is None else theta
    names = [s.name for s in project_stances(project)]
    articles = study_articles(project)
    if article_slug is not None:
        articles = Article.objects.filter(project=project, slug=article_slug)
    data = codings(project, articles=articles, users=users)
    pooled = agreement.project_report(data, names, theta)
    return {
        "articles": [agreement.article_report(d, names, theta) for d in data],
        "project": {"any_claim": pooled["any_claim"], "stances": pooled["stances"]},
    }


def gold_spans(article) -> list[Span]:
    rows = GoldAnnotation.objects.filter(article=article).prefetch_related("stances")
    return [
        Span("gold", g.start, g.end, frozenset(s.name for s in g.stances.all()), g.pk, g.note)
        for g in rows
    ]


# ------------------------------------------------------------------ progress


WORKING, SUBMITTED, NOT_OPENED = "working", "submitted", "not opened"


def article_progress(article, coders) -> list[tuple]:
    """(coder, state, annotations) for each coder of the article: submitted; working (has
    annotations on it, not submitted); not opened."""
    submitted = set(Submission.objects.filter(article=article).values_list("coder_id", flat=True))
    counts = Counter(
        Annotation.objects.filter(article=article, user__in=coders).values_list(
            "user_id", flat=True
        )
    )
    out = []
    for coder in coders:
        if coder.pk in submitted:
            state = SUBMITTED
        elif counts.get(coder.pk):
            state = WORKING
        else:
            state = NOT_OPENED
        out.append((coder, state, counts.get(coder.pk, 0)))
    return out


def coders_of_article(article):
    """Assigned coders, else everyone who annotated or submitted it."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(assignments__article=article)
    if not users.exists():
        users = get_user_model().objects.filter(
            Exists(Annotation.objects.filter(article=article, user=OuterRef("pk")))
            | Exists(Submission.objects.filter(article=article, coder=OuterRef("pk")))
        )
    return list(users.order_by("username").distinct())


def project_progress(project) -> list[tuple[str, int, int, int]]:
    """(coder, submitted, working, not opened) over each coder's assigned articles."""
    assigned = Assignment.objects.filter(article__project=project).values_list(
        "coder__username", "coder_id", "article_id"
    )
    submitted = set(
        Submission.objects.filter(article__project=project).values_list("coder_id", "article_id")
    )
    annotated = set(
        Annotation.objects.filter(article__project=project)
        .values_list("user_id", "article_id")
        .distinct()
    )
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for name, coder_id, article_id in assigned:
        if (coder_id, article_id) in submitted:
            tally[name][0] += 1
        elif (coder_id, article_id) in annotated:
            tally[name][1] += 1
        else:
            tally[name][2] += 1
    return [(name, *tally[name]) for name in sorted(tally)]


def queue_of(user, project) -> dict[str, list]:
    """A coder's queue: assigned articles still to code, and those submitted."""
    assigned = (
        Article.objects.filter(project=project, assignments__coder=user)
        .select_related("project")
        .only("pk", "slug", "title", "published", "project__slug")
        .order_by("published", "pk")
    )
    done = set(
        Submission.objects.filter(coder=user, article__project=project).values_list(
            "article_id", flat=True
        )
    )
    to_code = [a for a in assigned if a.pk not in done]
    submitted = [a for a in assigned if a.pk in done]
    return {"to_code": to_code, "submitted": submitted}


# ------------------------------------------------------------------ chart numbers


def stance_counts(project, *, by: str) -> dict[str, dict[str, int]]:
    """Stance tags on the study's coded annotations by article source or month published."""
    tags = AnnotationStance.objects.filter(
        annotation__article__project=project,
        annotation__visibility=Annotation.Visibility.SHARED,
    )
    if by == "source":
        rows = tags.values_list("annotation__article__source_name", "stance__name")
        label = lambda value: value or "(no source)"  # noqa: E731
    else:
        rows = tags.values_list("annotation__article__published", "stance__name")
        label = lambda value: value.strftime("%Y-%m") if value else "(no date)"  # noqa: E731
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for value, stance in rows:
        out[label(value)][stance] += 1
    return {k: dict(out[k]) for k in sorted(out)}
