from __future__ import annotations

import functools

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import reswap, retarget, trigger_client_event

from projects.models import Role
from projects.permissions import membership_for
from projects.scope import in_project, require_role
from reader.caching import private_page
from reader.models import Article

from . import services
from .forms import AnnotationCreateForm, AnnotationEditForm
from .incremental import annotation_added
from .models import Annotation
from .reading import annotated_fragment, change_token, token_of, visible_summary

READING = "reader/article_detail.html"


def _visible(request: HttpRequest, pk) -> Annotation:
    """Another user's private annotation does not exist, whatever the method."""
    return Annotation.objects.visible_to(request.user).with_related().get(pk=pk)


def _answers_gone(view):
    """An annotation deleted since the page was drawn (perhaps in another tab) gets a
    message in its card, or a page, with a way on: never a bare 404."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, pk, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, pk, *args, **kwargs)
        except Annotation.DoesNotExist:
            message = (
                "This annotation no longer exists: it was deleted, perhaps in another tab "
                "(or it is someone else's private one)."
            )
            if not request.htmx:
                return render(
                    request,
                    "annotations/error_page.html",
                    {"heading": "Annotation not found", "message": message},
                    status=404,
                )
            response = render(request, "includes/_gone.html", {"message": message}, status=404)
            return reswap(retarget(response, f"#ann-{pk}"), "innerHTML")

    return wrapped


def _owned(request: HttpRequest, pk) -> Annotation:
    """An annotation its maker may change: their own, in a project where they annotate."""
    annotation = _visible(request, pk)
    if annotation.user_id != request.user.pk:
        raise PermissionDenied("Only the person who made an annotation can change it.")
    require_role(membership_for(request.user, annotation.article.project_id), Role.ANNOTATOR)
    return annotation


def _annotated(request: HttpRequest, article: Article, *, status: int = 200) -> HttpResponse:
    """The body with its highlights and the annotation list, as one fragment."""
    response = HttpResponse(annotated_fragment(request, article), status=status)
    return trigger_client_event(response, "annotations-changed")


def _error(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    """The toolbar shows the message; without htmx, a page says it."""
    if not request.htmx:
        return render(request, "annotations/error_page.html", {"message": message}, status=status)
    response = render(request, "annotations/_error.html", {"message": message}, status=status)
    return reswap(retarget(response, "#toolbar-error"), "innerHTML")


def _made_already(request: HttpRequest, article: Article) -> HttpResponse:
    """The same save sent again (same toolbar token): answered as the first one was."""
    return _annotated(request, article) if request.htmx else redirect(article)


@require_POST
def annotation_create(request: HttpRequest) -> HttpResponse:
    form = AnnotationCreateForm(request.POST, user=request.user)
    if form.is_valid() and services.made_with_token(request.user, form.cleaned_data["token"]):
        return _made_already(request, form.cleaned_data["article"])
    if services.creating_too_fast(request.user):
        return _error(request, "You are making annotations too fast; wait a moment.", status=429)
    if not form.is_valid():
        message = "; ".join(
            f"{form.fields[f].label or f if f != '__all__' else ''}: {' '.join(e)}".lstrip(": ")
            for f, e in form.errors.items()
        )
        return _error(request, f"Not saved. {message}")
    data = form.cleaned_data
    article = data["article"]
    # The page may only be patched if it showed the latest state before this save.
    before = visible_summary(article, request.user) if request.htmx else None
    up_to_date = before is not None and request.POST.get("seen") == token_of(*before)
    try:
        annotation = services.annotation_create(
            user=request.user,
            article=article,
            start=data["start"],
            end=data["end"],
            quote=data["quote"],
            stances=data["stances"],
            note=data["note"],
            visibility=data["visibility"],
            token=data["token"],
        )
    except services.AnnotationError as error:
        return _error(request, f"Not saved. {error}")
    if request.htmx:
        patch = (
            annotation_added(request, article, annotation, before=before) if up_to_date else None
        )
        return patch or _annotated(request, article)
    return redirect(article)


@require_safe
@private_page
@_answers_gone
def annotation_detail(request: HttpRequest, pk) -> HttpResponse:
    annotation = _visible(request, pk)
    annotation.stance_list = list(annotation.stances.all())
    return render(
        request,
        "annotations/annotation_card.html",
        {"a": annotation, "standalone": not request.htmx},
    )


@require_http_methods(["GET", "POST"])
@private_page
@_answers_gone
def annotation_edit(request: HttpRequest, pk) -> HttpResponse:
    annotation = _owned(request, pk)
    initial = {
        "stances": list(annotation.stances.all()),
        "note": annotation.note,
        "visibility": annotation.visibility,
        "version": annotation.version,
    }
    form = AnnotationEditForm(request.POST or None, initial=initial, annotation=annotation)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.annotation_update(
                    annotation=annotation,
                    version=data["version"],
                    stances=data["stances"],
                    note=data["note"],
                    visibility=data["visibility"],
                )
            except services.StaleVersion as stale:
                current = stale.current
                form = AnnotationEditForm(
                    initial={
                        "stances": list(current.stances.all()),
                        "note": current.note,
                        "visibility": current.visibility,
                        "version": current.version,
                    },
                    annotation=current,
                )
                form.stale_message = (
                    "Someone changed this annotation while you were editing (perhaps in another tab). "
                    "This is the current version; your edit was not saved: "
                )
                form.lost_note = request.POST.get("note", "")
                annotation, status = current, 409
            else:
                article = Article.objects.for_reading().get(pk=annotation.article_id)
                if request.htmx:
                    return _annotated(request, article)
                return redirect(article)
        else:
            status = 422
    template = "annotations/annotation_edit.html"
    if request.htmx:
        template += "#edit-form"
    response = render(request, template, {"a": annotation, "form": form}, status=status)
    if request.htmx and status != 200:
        response = reswap(retarget(response, f"#ann-{annotation.pk}"), "innerHTML")
    return response


@require_http_methods(["GET", "POST"])
@_answers_gone
def annotation_delete(request: HttpRequest, pk) -> HttpResponse:
    annotation = _owned(request, pk)
    if request.method == "GET":
        return render(request, "annotations/annotation_delete.html", {"a": annotation})
    article = Article.objects.for_reading().get(pk=annotation.article_id)
    services.annotation_delete(annotation=annotation)
    if request.htmx:
        return _annotated(request, article)
    return redirect(article)


@require_http_methods(["GET", "POST"])
@_answers_gone
def annotation_confirm(request: HttpRequest, pk) -> HttpResponse:
    """The owner accepts the place a moved annotation was put on."""
    annotation = _owned(request, pk)
    if request.method == "GET":
        return render(request, "annotations/annotation_confirm.html", {"a": annotation})
    services.annotation_confirm_place(annotation=annotation)
    article = Article.objects.for_reading().get(pk=annotation.article_id)
    if request.htmx:
        return _annotated(request, article)
    return redirect(article)


@require_safe
@private_page
@in_project()
def article_annotations(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article.objects.for_reading().in_project(request.project), slug=slug)
    if not request.htmx:
        return redirect(article)
    return HttpResponse(annotated_fragment(request, article))


@require_safe
@private_page
@in_project()
def article_changes(request: HttpRequest, slug: str) -> HttpResponse:
    """204 while nothing the user may see has changed; else tells the page to refresh."""
    article = get_object_or_404(
        Article.objects.in_project(request.project).only("pk", "slug", "version", "project"),
        slug=slug,
    )
    token = change_token(article, request.user, request.membership)
    if request.GET.get("since") == token:
        return HttpResponse(status=204)
    response = render(request, f"{READING}#poller", {"article": article, "token": token})
    return trigger_client_event(response, "annotations-stale")
