from __future__ import annotations

import hashlib

from django import forms
from django.contrib import messages
from django.db.models import Count, Max
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import quote_etag
from django.views.decorators.http import require_http_methods, require_POST

from projects.models import Project, Role
from projects.permissions import get_membership_or_404
from projects.scope import require_role
from reader.models import Article

from . import export, importing, jsonld


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _bad_filter(error: export.FilterError) -> HttpResponse:
    return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")


def _options(request: HttpRequest, project: str | None) -> export.ExportOptions:
    """The export's filters, resolved before streaming starts, so a bad one is a 400
    with a message rather than a cut file. Under /p/<project>/ the export holds that
    project's annotations (404 to a non-member); under /export/, those of all the
    person's projects."""
    if project is not None:
        membership = get_membership_or_404(request.user, project)
        options = export.parse_options(request.GET, project=membership.project)
    else:
        options = export.parse_options(
            request.GET, projects=Project.objects.for_member(request.user)
        )
    export.annotations_for(viewer=request.user, options=options)
    return options


def _download(chunks, *, content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# The Web Annotation Protocol's container types, sent on every export response.
CONTAINER_LINK = (
    '<http://www.w3.org/ns/ldp#BasicContainer>; rel="type", '
    '<http://www.w3.org/TR/annotation-protocol/>; rel="http://www.w3.org/ns/ldp#constrainedBy"'
)
ALLOW = "GET, HEAD, OPTIONS"


def _container(view):
    """OPTIONS answered with what the container allows; GET and HEAD with an ETag made
    from the change token of what the filters select (the server's save times and the
    count, which no file can set), and a 304 when the client holds that version."""

    def wrapped(request: HttpRequest, project: str | None = None) -> HttpResponse:
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = ALLOW
            response["Link"] = CONTAINER_LINK
            return response
        try:
            options = _options(request, project)
        except export.FilterError as error:
            return _bad_filter(error)
        summary = export.annotations_for(viewer=request.user, options=options).aggregate(
            n=Count("pk"), latest=Max("updated")
        )
        day = export.export_filename(options, "")
        digest = hashlib.sha256(
            f"{request.user.pk}|{request.get_full_path()}|{summary['n']}|{summary['latest']}|{day}".encode()
        ).hexdigest()[:32]
        etag = quote_etag(digest)
        if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
            response = HttpResponse(status=304)
        else:
            response = view(request, options)
        response["ETag"] = etag
        response["Link"] = CONTAINER_LINK
        response["Allow"] = ALLOW
        response["Cache-Control"] = "private, no-store"
        return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return require_http_methods(["GET", "HEAD", "OPTIONS"])(wrapped)


@_container
def annotations_csv(request: HttpRequest, options: export.ExportOptions) -> HttpResponse:
    return _download(
        export.csv_chunks(viewer=request.user, options=options, base_url=_base_url(request)),
        content_type="text/csv; charset=utf-8",
        filename=export.export_filename(options, "csv"),
    )


@_container
def annotations_jsonld(request: HttpRequest, options: export.ExportOptions) -> HttpResponse:
    return _download(
        jsonld.collection_chunks(
            viewer=request.user,
            options=options,
            base_url=_base_url(request),
            collection_id=request.build_absolute_uri(),
        ),
        content_type=f'{jsonld.MEDIA_TYPE}; profile="{jsonld.CONTEXT}"',
        filename=export.export_filename(options, "jsonld"),
    )


class AnnotationUploadForm(forms.Form):
    """The upload on the reading page and on the list page."""

    file = forms.FileField()
    tag_map = forms.CharField(
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "fbi-letter = United States"}),
        label="Map tags to stances (one tag = Stance per line)",
    )
    tags_in_note = forms.BooleanField(
        required=False, label="Keep tags that are not stances in the note (“Tags: …”)"
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > importing.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"{upload.name} is {upload.size / 1_000_000:.1f} MB; imports are limited to "
                f"{importing.MAX_UPLOAD_BYTES / 1_000_000:g} MB. Split the file or use "
                "manage.py import_annotations."
            )
        return upload

    def clean_tag_map(self) -> dict[str, str]:
        try:
            return importing.parse_tag_map(self.cleaned_data["tag_map"].splitlines())
        except importing.ImportError_ as error:
            raise forms.ValidationError(str(error)) from error


def _import_project(request: HttpRequest, project: str | None) -> Project:
    """The project an upload or fetch goes into: annotators only; 404 to non-members.

    Uploads are made in a project (its list or one of its articles); the address without
    one, from before projects, serves a person with a single project."""
    if project is None:
        projects = list(Project.objects.for_member(request.user)[:2])
        if len(projects) != 1:
            raise Http404("Upload from a project's page.")
        project = projects[0].slug
    membership = get_membership_or_404(request.user, project)
    require_role(membership, Role.ANNOTATOR)
    return membership.project


@require_POST
def annotations_import(request: HttpRequest, project: str | None = None) -> HttpResponse:
    """Import a Web Annotation or Hypothesis file, then back to the page it came from:
    the article (the reading page's upload) or the list (annotations of many articles)."""
    project = _import_project(request, project)
    article = None
    if request.POST.get("article"):
        article = get_object_or_404(
            Article.objects.in_project(project).only("id", "slug", "project"),
            pk=request.POST["article"]
            if request.POST["article"].isascii() and request.POST["article"].isdigit()
            else 0,
        )
    back = (
        redirect(article)
        if article is not None
        else redirect("reader:article_list", project=project.slug)
    )
    form = AnnotationUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return back
    upload = form.cleaned_data["file"]
    try:
        report = importing.import_collection(
            importing.parse_document(upload.read()),
            importer=request.user,
            base_url=_base_url(request),
            tag_map=form.cleaned_data["tag_map"],
            tags_in_note=form.cleaned_data["tags_in_note"],
            limits=importing.WEB_LIMITS,
            hourly_quota=importing.hourly_quota(),
            project=project,
        )
    except importing.ImportError_ as error:
        messages.error(request, f"{upload.name}: {error}")
        return back
    level = (
        messages.WARNING
        if report.unplaced or report.problems or report.no_article or report.unknown_stances
        else messages.SUCCESS
    )
    messages.add_message(request, level, f"{upload.name}: {report.summary()}")
    for line in report.details(limit=10):
        messages.add_message(request, level, line)
    if report.unknown_stances:
        messages.add_message(
            request,
            level,
            "To use those tags, map them to stances in the upload form (tag = Stance) and "
            "import the file again: what is already here gains the mapped stances.",
        )
    if report.missing_pages:
        request.session[MISSING_PAGES_KEY] = report.missing_pages[:MAX_FETCH]
        messages.add_message(
            request,
            level,
            "Pages not in Stance Reader can be fetched and imported from the list page "
            "(“Fetch missing pages”); then import the file again.",
        )
    return back


MISSING_PAGES_KEY = "annotation_import_missing_pages"
MAX_FETCH = 10


@require_POST
def fetch_missing_pages(request: HttpRequest, project: str | None = None) -> HttpResponse:
    """Fetch (through the import's safe fetch) the pages an annotation import did not
    find, as chosen from the list the import left in the session."""
    from reader.importing.types import ImportFailed
    from reader.services import article_import_url

    project = _import_project(request, project)
    offered = request.session.get(MISSING_PAGES_KEY, [])
    chosen = [url for url in request.POST.getlist("url") if url in offered]
    for url in chosen:
        try:
            outcome = article_import_url(url=url, user=request.user, project=project)
        except ImportFailed as error:
            messages.error(request, f"{url}: {error}")
            continue
        messages.success(request, f"Imported “{outcome.article.title}” from {url}.")
        offered.remove(url)
    request.session[MISSING_PAGES_KEY] = offered
    if chosen:
        messages.info(request, "Import the annotation file again to place its annotations.")
    return redirect("reader:article_list", project=project.slug)
