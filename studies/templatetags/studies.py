from __future__ import annotations

from django import template
from django.contrib.auth import get_user_model
from django.db.models import Count, Max
from django.utils.safestring import mark_safe

from annotations.models import Annotation, Stance
from annotations.rendering import Span, render_highlights

from .. import reports
from ..models import GoldAnnotation
from ..services import latest_submission, open_reopening

register = template.Library()


@register.inclusion_tag("studies/_panel.html", takes_context=True)
def study_panel(context, article):
    """The reading page's study strip: submit, progress, links, the gold layer.

    Its queries are few and fixed (the reading page pins its count): the membership comes
    from the request, a coder's submission is read only in a blind project, the progress
    only for those who curate, the gold layer only when asked for (?gold=1).
    """
    request = context["request"]
    user = request.user
    project = article.project
    membership = getattr(request, "membership", None)
    if membership is None or membership.project_id != project.pk:
        from projects.permissions import membership_for

        membership = membership_for(user, project)
    if membership is None:
        return {"article": article, "panel": None}
    blind = reports.is_blind(project)
    may_curate = reports.may_curate(membership)
    submission = None
    if blind and membership.can_annotate:
        submission = latest_submission(article=article, coder=user)
    reopened = open_reopening(submission) is not None
    revised = False
    if submission is not None:
        mine = Annotation.objects.filter(article=article, user=user, visibility="shared").aggregate(
            latest=Max("updated"), n=Count("pk")
        )
        revised = bool(mine["latest"] and mine["latest"] > submission.submitted_at) or (
            mine["n"] != submission.annotations.count()
        )
    panel = {
        "project": project,
        "blind": blind,
        "revealed": submission is not None or membership.can_manage,
        "submission": submission,
        "reopened": reopened,
        "revised": revised,
        "may_submit": blind and membership.can_annotate and (submission is None or reopened),
        "may_see_study": reports.may_see_study(membership),
        "may_curate": may_curate,
        "show_gold": request.GET.get("gold") == "1",
    }
    if may_curate:
        # Assigned coders; without assignments only a blind project has coders to follow
        # (everyone who annotated or submitted), so a project with no study asks once.
        coders = []
        if getattr(article, "has_assignments", True):  # read with the article
            coders = list(
                get_user_model().objects.filter(assignments__article=article).order_by("username")
            )
        if not coders and blind:
            coders = reports.coders_of_article(article)
        if coders:
            panel["progress"] = reports.article_progress(article, coders)
    if not blind or panel["revealed"] or may_curate:
        if panel["show_gold"]:
            gold = list(GoldAnnotation.objects.filter(article=article).prefetch_related("stances"))
            colours = {s.pk: s.colour for s in Stance.objects.filter(project=project)}
            spans = [
                Span(str(g.pk), g.start, g.end, tuple(s.pk for s in g.stances.all()), False)
                for g in gold
            ]
            panel["gold_body"] = mark_safe(render_highlights(article.body_html, spans, colours))  # noqa: S308
            panel["gold_count"] = len(gold)
        else:
            has_gold = getattr(article, "has_gold", None)  # read with the article
            if has_gold is None:
                has_gold = GoldAnnotation.objects.filter(article=article).exists()
            panel["has_gold"] = has_gold
    return {"article": article, "panel": panel}
