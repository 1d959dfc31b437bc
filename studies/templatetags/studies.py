from __future__ import annotations

from django import template
from django.db.models import Max
from django.utils.safestring import mark_safe

from annotations.models import Annotation, Stance
from annotations.rendering import Span, render_highlights

from .. import reports
from ..models import GoldAnnotation
from ..services import latest_submission, open_reopening

register = template.Library()


@register.inclusion_tag("studies/_panel.html", takes_context=True)
def study_panel(context, article):
    """The reading page's study strip: submit, progress, links, the gold layer."""
    request = context["request"]
    user = request.user
    project = article.project
    from projects.permissions import membership_for

    membership = membership_for(user, project)
    panel = {"project": project}
    if membership is None:
        return {"article": article, "panel": None}
    blind = reports.is_blind(project)
    submission = latest_submission(article=article, coder=user) if membership.can_annotate else None
    reopened = open_reopening(submission) is not None
    revised = False
    if submission is not None:
        mine = Annotation.objects.filter(article=article, user=user, visibility="shared")
        summary = mine.aggregate(latest=Max("updated"))
        revised = bool(summary["latest"] and summary["latest"] > submission.submitted_at) or (
            mine.count() != submission.annotations.count()
        )
    panel.update(
        blind=blind,
        revealed=submission is not None or membership.can_manage,
        submission=submission,
        reopened=reopened,
        revised=revised,
        may_submit=membership.can_annotate and (submission is None or reopened),
        may_see_study=reports.may_see_study(membership),
        may_curate=reports.may_curate(membership),
    )
    if panel["may_see_study"]:
        panel["progress"] = reports.article_progress(article, reports.coders_of_article(article))
    gold = list(GoldAnnotation.objects.filter(article=article).prefetch_related("stances"))
    if gold and (not blind or panel["revealed"] or panel["may_curate"]):
        colours = {s.pk: s.colour for s in Stance.objects.filter(project=project)}
        spans = [
            Span(str(g.pk), g.start, g.end, tuple(s.pk for s in g.stances.all()), False)
            for g in gold
        ]
        panel["gold_body"] = mark_safe(render_highlights(article.body_html, spans, colours))  # noqa: S308
        panel["gold_count"] = len(gold)
    return {"article": article, "panel": panel}
