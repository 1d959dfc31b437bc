from __future__ import annotations

from django.contrib import messages
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_POST

from reader.models import Article

from . import export, jsonld


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _bad_filter(error: export.FilterError) -> HttpResponse:
    return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")


def _options(request: HttpRequest) -> export.ExportOptions:
    """The export's filters, resolved before streaming starts, so a bad one is a 400
    with a message rather than a cut file."""
    options = export.parse_options(request.GET)
    export.annotations_for(viewer=request.user, options=options)
    return options


def _download(chunks, *, content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def annotations_csv(request: HttpRequest) -> HttpResponse:
    try:
        options = _options(request)
    except export.FilterError as error:
        return _bad_filter(error)
    return _download(
        export.csv_chunks(viewer=request.user, options=options, base_url=_base_url(request)),
        content_type="text/csv; charset=utf-8",
        filename=export.export_filename(options, "csv"),
    )


@require_GET
def annotations_jsonld(request: HttpRequest) -> HttpResponse:
    try:
        options = _options(request)
    except export.FilterError as error:
        return _bad_filter(error)
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


@require_POST
def annotations_import(request: HttpRequest) -> HttpResponse:
    """The reading page's upload: import a JSON-LD file, then back to the article."""
    article = get_object_or_404(Article.objects.only("id", "slug"), pk=request.POST.get("article"))
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Choose a Web Annotation (.jsonld or .json) file to import.")
        return redirect(article)
    if upload.size > jsonld.MAX_UPLOAD_BYTES:
        messages.error(
            request,
            f"{upload.name} is {upload.size / 1_000_000:.1f} MB; imports are limited to "
            f"{jsonld.MAX_UPLOAD_BYTES / 1_000_000:g} MB. Split the file or use "
            "manage.py import_annotations.",
        )
        return redirect(article)
    try:
        report = jsonld.import_collection(
            jsonld.parse_document(upload.read()),
            importer=request.user,
            base_url=_base_url(request),
        )
    except jsonld.ImportError_ as error:
        messages.error(request, f"{upload.name}: {error}")
        return redirect(article)
    level = messages.WARNING if report.unplaced or report.problems else messages.SUCCESS
    messages.add_message(request, level, f"{upload.name}: {report.summary()}")
    for line in report.details(limit=10):
        messages.add_message(request, level, line)
    return redirect(article)
