from __future__ import annotations

import csv
import io
import random

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from annotations.services import AnnotationError
from projects.permissions import get_membership_or_404
from reader.models import Article

from . import agreement, charts, reports, services
from .dna import Statement, statements_csv
from .forms import AssignForm, DecisionForm, ReopenForm, StudySettingsForm
from .models import Adjudication, GoldAnnotation, SnapshotAnnotation


def _membership(request: HttpRequest, project: str):
    membership = get_membership_or_404(request.user, project)
    # As projects.scope.in_project does: the page's header shows the project.
    request.project, request.membership = membership.project, membership
    return membership


def _study_membership(request: HttpRequest, project: str):
    """Members who may see every coder's work: else 404, as for what does not exist."""
    membership = _membership(request, project)
    if not reports.may_see_study(membership):
        raise Http404("No such page.")
    return membership


def _curator_membership(request: HttpRequest, project: str):
    membership = _membership(request, project)
    if not reports.may_curate(membership):
        raise Http404("No such page.")
    return membership


def _manager_membership(request: HttpRequest, project: str):
    membership = _membership(request, project)
    if not membership.can_manage:
        raise Http404("No such page.")
    return membership


def _article(project, slug: str) -> Article:
    return get_object_or_404(Article.objects.for_reading(), project=project, slug=slug)


def _csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _rows_csv(header: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return out.getvalue()


def _colours(project) -> dict[str, str]:
    return {s.name: s.colour for s in reports.project_stances(project)}


# ------------------------------------------------------------------ study home


@login_required
@require_http_methods(["GET", "POST"])
def study_home(request: HttpRequest, project: str) -> HttpResponse:
    """The study's front page: my queue; for managers the settings and assignments."""
    membership = _membership(request, project)
    project_obj = membership.project
    queue = reports.queue_of(request.user, project_obj)
    context = {
        "project": project_obj,
        "membership": membership,
        "queue": queue,
        "blind": reports.is_blind(project_obj),
        "may_see_study": reports.may_see_study(membership),
    }
    if membership.can_manage:
        settings_form = StudySettingsForm(
            request.POST if request.POST.get("form") == "settings" else None,
            initial={
                "blind": reports.is_blind(project_obj),
                "hide_coder_names": reports.hides_names(project_obj),
                "agreement_theta": reports.theta_of(project_obj),
                "note_as_concept": bool(project_obj.settings.get(reports.SETTING_NOTE_AS_CONCEPT)),
            },
        )
        coders = _annotators(project_obj)
        articles = list(
            Article.objects.filter(project=project_obj).only("pk", "slug", "title").order_by("title")
        )
        assign_form = AssignForm(
            request.POST if request.POST.get("form") == "assign" else None,
            coders=coders,
            articles=articles,
        )
        if request.method == "POST" and settings_form.is_bound and settings_form.is_valid():
            # Only what changed is written: the defaults stay implicit.
            changed = {
                k: v
                for k, v in settings_form.cleaned_data.items()
                if v != settings_form.initial.get(k)
            }
            if changed:
                project_obj.settings = {**(project_obj.settings or {}), **changed}
                project_obj.save(update_fields=["settings"])
            messages.success(request, "Study settings saved.")
            return redirect("studies:home", project=project_obj.slug)
        if request.method == "POST" and assign_form.is_bound and assign_form.is_valid():
            data = assign_form.cleaned_data
            chosen = coders
            if data["mode"] == "chosen":
                chosen = [u for u in coders if u.username in data["coders"]]
            picked = [a for a in articles if not data["articles"] or a.slug in data["articles"]]
            try:
                added = services.assignments_create(
                    articles=picked,
                    coders=chosen,
                    assigned_by=request.user,
                    per_article=data["per_article"] if data["mode"] == "random" else None,
                )
            except services.StudyError as error:
                assign_form.add_error(None, str(error))
            else:
                messages.success(request, f"{added} assignments added.")
                return redirect("studies:home", project=project_obj.slug)
        context.update(
            settings_form=settings_form,
            assign_form=assign_form,
            progress=charts.progress(reports.project_progress(project_obj)),
        )
    elif request.method == "POST":
        raise Http404("No such page.")
    return render(request, "studies/study.html", context)


def _annotators(project) -> list:
    from projects.models import Membership

    return [
        m.user
        for m in Membership.objects.filter(project=project, role__in=["manager", "annotator"])
        .select_related("user")
        .order_by("user__username")
    ]


# ------------------------------------------------------------------ submitting


@login_required
@require_POST
def submit_coding(request: HttpRequest, project: str, slug: str) -> HttpResponse:
    membership = _membership(request, project)
    if not membership.can_annotate:
        raise Http404("No such page.")
    article = _article(membership.project, slug)
    try:
        submission = services.submission_create(article=article, coder=request.user)
    except services.StudyError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Your coding is submitted (round {submission.round}, "
            f"{submission.annotations.count()} annotations).",
        )
    return redirect(article.get_absolute_url())


@login_required
@require_POST
def reopen_coding(request: HttpRequest, project: str, slug: str) -> HttpResponse:
    membership = _manager_membership(request, project)
    article = _article(membership.project, slug)
    form = ReopenForm(request.POST)
    if form.is_valid():
        submission = services.latest_submission(
            article=article,
            coder=get_object_or_404(get_user_model(), username=form.cleaned_data["coder"]),
        )
        if submission is None:
            raise Http404("No such submission.")
        try:
            services.reopening_allow(
                submission=submission, allowed_by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.StudyError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{submission.coder} may submit this article again.")
    return redirect("studies:article_agreement", project=membership.project.slug, slug=article.slug)


# ------------------------------------------------------------------ agreement


def _pairwise_rows(report: dict) -> list[dict]:
    return [
        {"a": key.split("|")[0], "b": key.split("|")[1], **values}
        for key, values in report["pairwise"].items()
    ]


def _stance_rows(report: dict) -> list[dict]:
    return [
        {"name": name, "band": agreement.band(v["alpha_chars"]), **v}
        for name, v in report["stances"].items()
    ]


def _heatmap(coders, report) -> charts.Chart:
    return charts.heatmap(coders, {k: v["alpha_chars_any"] for k, v in report["pairwise"].items()})


def _tables_csv(rows: list[tuple[str, dict]]) -> str:
    header = ["scope", "measure", "stance", "value", "units_used", "units_total"]
    out = []
    for scope, report in rows:
        out.append([scope, "alpha_chars", "any claim", report["any_claim"]["alpha_chars"], "", ""])
        for name, v in report["stances"].items():
            out.append([scope, "alpha_chars", name, v["alpha_chars"], "", ""])
            out.append(
                [scope, "alpha_units", name, v["alpha_units"], v["units_used"], v["units_total"]]
            )
        if "label_set_alpha_masi" in report:
            out.append([scope, "label_set_alpha_masi", "", report["label_set_alpha_masi"], "", ""])
        for key, v in report.get("pairwise", {}).items():
            out.append([scope, "span_f1", key, v["span_f1"], "", ""])
            out.append([scope, "alpha_chars_any", key, v["alpha_chars_any"], "", ""])
    return _rows_csv(header, out)


def _diagnosis_rows(article_id: int, coding, theta: float) -> list[list]:
    units = agreement.align_units(coding.spans, theta)
    rows = []
    for unit in units:
        present = [c for c in coding.coders if c in unit.spans]
        if len(present) < 2:
            status = "single"
        elif unit.agrees(coding.coders, theta):
            status = "agree"
        else:
            status = "disagree"
        rows.append(
            [
                article_id,
                unit.id,
                unit.start,
                unit.end,
                status,
                *[
                    f"{unit.spans[c].start}-{unit.spans[c].end}:{'; '.join(sorted(unit.spans[c].stances))}"
                    if c in unit.spans
                    else ""
                    for c in coding.coders
                ],
            ]
        )
    return rows


@login_required
@require_safe
def project_agreement(request: HttpRequest, project: str, download: str = "") -> HttpResponse:
    membership = _study_membership(request, project)
    project_obj = membership.project
    theta = reports.theta_of(project_obj)
    names = [s.name for s in reports.project_stances(project_obj)]
    colours = _colours(project_obj)
    articles = list(reports.study_articles(project_obj))
    data = reports.codings(project_obj, articles=articles)
    pooled = agreement.project_report(data, names, theta)
    per_article = [
        (a, agreement.article_report(d, names, theta)) for a, d in zip(articles, data, strict=True)
    ]
    chart_list = [
        charts.stance_counts(
            reports.stance_counts(project_obj, by="source"),
            names,
            colours,
            slug="by-source",
            title="Stances by source",
            group_name="source",
        ),
        charts.stance_counts(
            reports.stance_counts(project_obj, by="month"),
            names,
            colours,
            slug="by-month",
            title="Stances by month of publication",
            group_name="month",
        ),
        _heatmap(pooled["coders"], pooled),
        charts.progress(reports.project_progress(project_obj)),
    ]
    if download:
        if download == "tables":
            text = _tables_csv([("project", pooled), *[(a.slug, r) for a, r in per_article]])
        elif download == "diagnosis":
            coders = pooled["coders"]
            rows = []
            for a, d in zip(articles, data, strict=True):
                by_coder = {c: i for i, c in enumerate(d.coders)}
                for row in _diagnosis_rows(a.pk, d, theta):
                    head, versions = row[:5], row[5:]
                    rows.append(
                        [*head, *[versions[by_coder[c]] if c in by_coder else "" for c in coders]]
                    )
            text = _rows_csv(["article_id", "unit_id", "start", "end", "status", *coders], rows)
        else:
            chart = next((c for c in chart_list if f"chart-{c.slug}" == download), None)
            if chart is None:
                raise Http404("No such download.")
            text = chart.csv()
        return _csv_response(text, f"{project_obj.slug}-agreement-{download}.csv")
    return render(
        request,
        "studies/agreement.html",
        {
            "project": project_obj,
            "membership": membership,
            "pooled": pooled,
            "pooled_band": agreement.band(pooled["any_claim"]["alpha_chars"]),
            "stance_rows": _stance_rows(pooled),
            "pairwise_rows": _pairwise_rows(pooled),
            "per_article": [
                {
                    "article": a,
                    "report": r,
                    "band": agreement.band(r["any_claim"]["alpha_chars"]),
                }
                for a, r in per_article
            ],
            "charts": chart_list,
            "theta": theta,
            "reliable": agreement.RELIABLE,
            "tentative": agreement.TENTATIVE,
        },
    )


@login_required
@require_safe
def article_agreement(
    request: HttpRequest, project: str, slug: str, download: str = ""
) -> HttpResponse:
    membership = _study_membership(request, project)
    project_obj = membership.project
    article = _article(project_obj, slug)
    theta = reports.theta_of(project_obj)
    names = [s.name for s in reports.project_stances(project_obj)]
    coding = reports.codings(project_obj, articles=[article])[0]
    report = agreement.article_report(coding, names, theta)
    gold = reports.gold_spans(article)
    layers = [(c, [s for s in coding.spans if s.coder == c]) for c in coding.coders] + (
        [("gold", gold)] if gold else []
    )
    strip = charts.coder_strip(len(article.text), layers, _colours(project_obj))
    heat = _heatmap(coding.coders, report)
    with_gold = agreement.agreement_with_gold(coding, gold, names, theta) if gold else {}
    if download:
        if download == "tables":
            text = _tables_csv([(article.slug, report)])
        elif download == "diagnosis":
            text = _rows_csv(
                ["article_id", "unit_id", "start", "end", "status", *coding.coders],
                _diagnosis_rows(article.pk, coding, theta),
            )
        elif download == "gold":
            text = _rows_csv(
                ["coder", "span_f1", "alpha_chars_any", *names],
                [
                    [c, v["span_f1"], v["alpha_chars_any"], *[v["stances"][n] for n in names]]
                    for c, v in with_gold.items()
                ],
            )
        elif download == "chart-strip":
            text = strip.csv()
        elif download == "chart-heatmap":
            text = heat.csv()
        else:
            raise Http404("No such download.")
        return _csv_response(text, f"{article.slug}-agreement-{download}.csv")
    coders = reports.coders_of_article(article)
    return render(
        request,
        "studies/article_agreement.html",
        {
            "project": project_obj,
            "membership": membership,
            "article": article,
            "report": report,
            "band": agreement.band(report["any_claim"]["alpha_chars"]),
            "stance_rows": _stance_rows(report),
            "pairwise_rows": _pairwise_rows(report),
            "charts": [strip, heat],
            "with_gold": [
                {"coder": c, **v, "stance_values": [v["stances"][n] for n in names]}
                for c, v in with_gold.items()
            ],
            "stance_names": names,
            "progress": reports.article_progress(article, coders),
            "reopen_form": ReopenForm(),
            "theta": theta,
            "reliable": agreement.RELIABLE,
            "tentative": agreement.TENTATIVE,
        },
    )


# ------------------------------------------------------------------ adjudication


def _unit_views(article, coding, theta: float, *, hide_names: bool) -> list[dict]:
    text = article.text
    units = agreement.align_units(coding.spans, theta)
    decided = {
        source_id: adjudication
        for adjudication in Adjudication.objects.filter(article=article)
        .prefetch_related("sources")
        .select_related("gold")
        for source_id in adjudication.sources.values_list("pk", flat=True)
    }
    labels = {c: c for c in coding.coders}
    order = list(coding.coders)
    if hide_names:
        random.Random(article.pk).shuffle(order)
        labels = {c: f"Coder {chr(ord('A') + i)}" for i, c in enumerate(order)}
    out = []
    for unit in units:
        agrees = unit.agrees(coding.coders, theta)
        versions = []
        for coder in order:
            span = unit.spans.get(coder)
            if span is None:
                versions.append({"label": labels[coder], "missing": True})
                continue
            before_start = max(0, span.start - 60)
            after_end = min(len(text), span.end + 60)
            versions.append(
                {
                    "label": labels[coder],
                    "missing": False,
                    "span": span,
                    "stances": sorted(span.stances),
                    "context": format_html(
                        "{}<mark>{}</mark>{}",
                        text[before_start : span.start],
                        text[span.start : span.end],
                        text[span.end : after_end],
                    ),
                }
            )
        ids = [s.id for s in unit.spans.values()]
        adjudication = next((decided[i] for i in ids if i in decided), None)
        out.append(
            {
                "unit": unit,
                "agrees": agrees,
                "single": len(unit.spans) < 2,
                "versions": versions,
                "sources": ",".join(str(i) for i in sorted(ids)),
                "adjudication": adjudication,
            }
        )
    # Disagreements first, each group in text order.
    out.sort(key=lambda u: (u["agrees"], u["unit"].start, u["unit"].end))
    return out


@login_required
@require_http_methods(["GET", "POST"])
def adjudicate(request: HttpRequest, project: str, slug: str) -> HttpResponse:
    membership = _curator_membership(request, project)
    project_obj = membership.project
    article = _article(project_obj, slug)
    theta = reports.theta_of(project_obj)
    names = [s.name for s in reports.project_stances(project_obj)]
    coding = reports.codings(project_obj, articles=[article])[0]
    if request.method == "POST":
        if request.POST.get("action") == "accept-agreeing":
            n = services.adjudication_accept_agreeing(
                article=article, curator=request.user, coders=coding.coders, theta=theta
            )
            messages.success(request, f"{n} agreeing units accepted into gold.")
            return redirect("studies:adjudicate", project=project_obj.slug, slug=article.slug)
        form = DecisionForm(request.POST, stance_names=names)
        if form.is_valid():
            error = _decide(article, coding, form.cleaned_data, request.user)
            if error is None:
                messages.success(request, "Decision saved.")
                return redirect("studies:adjudicate", project=project_obj.slug, slug=article.slug)
            messages.error(request, error)
        else:
            messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
    units = _unit_views(article, coding, theta, hide_names=reports.hides_names(project_obj))
    gold = reports.gold_spans(article)
    layers = [(c, [s for s in coding.spans if s.coder == c]) for c in coding.coders]
    if reports.hides_names(project_obj):
        layers = []
    strip = charts.coder_strip(
        len(article.text), [*layers, ("gold", gold)], _colours(project_obj), title="Gold so far"
    )
    return render(
        request,
        "studies/adjudicate.html",
        {
            "project": project_obj,
            "article": article,
            "units": units,
            "stance_names": names,
            "agreeing_open": sum(1 for u in units if u["agrees"] and not u["adjudication"]),
            "decided": sum(1 for u in units if u["adjudication"]),
            "strip": strip,
            "theta": theta,
        },
    )


def _decide(article, coding, data: dict, curator) -> str | None:
    valid = {s.id for s in coding.spans}
    if not set(data["sources"]) <= valid:
        return "Those versions are not part of this article's submitted coding."
    sources = list(SnapshotAnnotation.objects.filter(pk__in=data["sources"]))
    decision = data["decision"]
    start, end, stances = data.get("start"), data.get("end"), data.get("stances") or []
    if decision in ("picked", "merged"):
        base = next((s for s in sources if s.pk == data.get("boundaries_from")), None)
        if base is None:
            return "Choose the version whose boundaries to keep."
        start, end = base.start, base.end
        if decision == "picked":
            stances = base.stances
    try:
        services.adjudication_decide(
            article=article,
            sources=sources,
            decision=decision,
            curator=curator,
            start=start,
            end=end,
            stances=stances,
            note=data.get("note", ""),
        )
    except (services.StudyError, AnnotationError) as error:
        return str(error)
    return None


# ------------------------------------------------------------------ statements export


@login_required
@require_safe
def statements(request: HttpRequest, project: str) -> StreamingHttpResponse:
    """DNA statements: the study's submitted coding (layer=coder) or its gold layer."""
    membership = _study_membership(request, project)
    project_obj = membership.project
    layer = request.GET.get("layer", "coder")
    dialect = "dna" if request.GET.get("dialect") == "dna" else "csv"
    if layer not in ("coder", "gold"):
        raise Http404("No such layer.")
    theta = reports.theta_of(project_obj)
    articles = list(reports.study_articles(project_obj))
    note_as_concept = bool(project_obj.settings.get(reports.SETTING_NOTE_AS_CONCEPT))
    items = list(_statements(project_obj, articles, layer, theta))
    response = StreamingHttpResponse(
        (
            line.encode()
            for line in statements_csv(
                items,
                dialect=dialect,
                raw=request.GET.get("raw") == "1",
                note_as_concept=note_as_concept,
            )
        ),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{project_obj.slug}-statements-{layer}{"-dna" if dialect == "dna" else ""}.csv"'
    )
    return response


def _statements(project, articles, layer: str, theta: float):
    blind = reports.is_blind(project)
    for article in articles:
        doc = {
            "document_id": article.pk,
            "document_title": article.title,
            "document_author": article.byline,
            "document_source": article.source_name,
            "published": article.published,
        }
        if layer == "gold":
            for g in (
                GoldAnnotation.objects.filter(article=article)
                .select_related("curator", "adjudication")
                .prefetch_related("stances")
            ):
                yield Statement(
                    annotation_id=str(g.pk),
                    start=g.start,
                    end=g.end,
                    quote=g.quote,
                    stances=tuple(s.name for s in g.stances.all()),
                    note=g.note,
                    coder=g.curator.username if g.curator else "",
                    layer="gold",
                    **doc,
                )
            continue
        coding = reports.codings(project, articles=[article])[0]
        unit_of = {
            s.id: unit.id
            for unit in agreement.align_units(coding.spans, theta)
            for s in unit.spans.values()
        }
        rounds = {}
        versions = {}
        if blind:
            for row in SnapshotAnnotation.objects.filter(pk__in=list(unit_of)).select_related(
                "submission"
            ):
                rounds[row.pk] = row.submission.round
                versions[row.pk] = row.codebook_version
        for s in sorted(coding.spans, key=lambda s: (s.start, s.end, s.coder)):
            yield Statement(
                annotation_id=str(s.id),
                start=s.start,
                end=s.end,
                quote=article.text[s.start : s.end],
                stances=tuple(sorted(s.stances)),
                note=s.note,
                coder=s.coder,
                unit_id=unit_of.get(s.id),
                round=rounds.get(s.id),
                codebook_version=versions.get(s.id),
                **doc,
            )
