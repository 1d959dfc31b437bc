from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from annotations.models import Annotation
from annotations.reading import articles_for_reading, page_context
from projects.models import Role
from projects.scope import in_project

from . import services
from .caching import private_page
from .diffing import paragraph_diff
from .forms import (
    ArticleDetailsEditForm,
    ArticleDetailsForm,
    ImportForm,
    RestoreForm,
    UpdateOfForm,
)
from .importing.types import CHROME, ImportFailed
from .models import Article, ArticleProposal, ArticleVersion, ImportDraft
from .paging import page_with_total
from .permissions import may_edit_article

FRAGMENT_SLOT = mark_safe("<!-- annotated fragment -->")

SORTS = {
    "published": ("-published", "-imported_at"),
    "imported": ("-imported_at",),
    "title": ("title",),
    "relevance": ("-relevance", "-published"),
}


@require_safe
@private_page
@in_project()
def article_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    sort = request.GET.get("sort", "published")
    if sort not in SORTS or (sort == "relevance" and not query.strip()):
        sort = "published"
    articles = (
        Article.objects.for_listing()
        .in_project(request.project)
        .search(query, ranked=sort == "relevance")
        .order_by(*SORTS[sort], "pk")
    )
    page = page_with_total(articles, request.GET.get("page"), 25)
    # Count annotations for the 25 shown articles only, in one grouped query.
    counts = dict(
        Annotation.objects.visible_in(request.membership)
        .filter(article__in=[a.pk for a in page])
        .values_list("article")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for article in page:
        article.annotation_count = counts.get(article.pk, 0)
    template = "reader/article_list.html"
    if request.htmx and request.htmx.target == "article-results":
        template += "#results"
    return render(
        request,
        template,
        {"page": page, "query": query, "sort": sort, "sorts": list(SORTS), "project": request.project},
    )


@require_safe
@private_page
@in_project()
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(articles_for_reading(request.project), slug=slug)
    context = page_context(request, article)
    # The fragment can be a megabyte, kept encoded: the page around it is
    # rendered and encoded alone, and the fragment's bytes are spliced in.
    fragment = context.pop("annotated")
    context["may_edit"] = may_edit_article(request.user, article, request.membership)
    page = render_to_string(
        "reader/article_detail.html", {**context, "annotated": FRAGMENT_SLOT}, request=request
    )
    head, tail = page.split(FRAGMENT_SLOT, 1)
    return HttpResponse(b"".join((head.encode(), fragment, tail.encode())))


@require_http_methods(["GET", "POST"])
@private_page
@in_project()
def article_details(request: HttpRequest, slug: str) -> HttpResponse:
    """Correct an article's title, standfirst, byline, date and source: in place of the
    reading page's heading (htmx), or as a page of its own without JavaScript."""
    article = get_object_or_404(Article.objects.for_reading().in_project(request.project), slug=slug)
    if not may_edit_article(request.user, article, request.membership):
        raise PermissionDenied("Only the article's importer or the project's managers can edit its details.")
    if request.htmx and request.method == "GET" and "cancel" in request.GET:
        return render(
            request,
            "reader/article_detail.html#article-details",
            {"article": article, "may_edit": True},
        )
    form = ArticleDetailsEditForm(request.POST or None, instance=article)
    if request.method == "POST" and form.is_valid():
        changed = services.article_details_update(
            article=article,
            user=request.user,
            details={name: form.cleaned_data[name] for name in services.DETAIL_FIELDS},
            reason=form.cleaned_data["reason"],
        )
        if request.htmx:
            article = Article.objects.for_reading().get(pk=article.pk)
            return render(
                request,
                "reader/article_detail.html#article-details",
                {"article": article, "may_edit": True, "saved": changed},
            )
        messages.success(request, "Details saved." if changed else "Nothing was changed.")
        return redirect(article)
    template = "reader/article_details.html"
    if request.htmx:
        template += "#details-form"
    return render(
        request,
        template,
        {"article": article, "form": form},
        status=422 if form.errors else 200,
    )


def _drafts_from_form(request: HttpRequest, form: ImportForm) -> list[ImportDraft]:
    data = form.cleaned_data
    if data.get("url"):
        from .importing.fetch import fetch_url

        fetched = fetch_url(data["url"])
        return [
            ImportDraft(
                user=request.user,
                project=request.project,
                raw_input=fetched.body,
                url=fetched.final_url or data["url"],
                content_type=fetched.content_type,
                charset=fetched.charset or "",
            )
        ]
    if data.get("files"):
        return [
            ImportDraft(
                user=request.user,
                project=request.project,
                raw_input=upload.read(),
                filename=upload.name[:255],
                content_type=upload.content_type or "",
                charset=upload.charset or "",
            )
            for upload in data["files"]
        ]
    return [
        ImportDraft(
            user=request.user,
            project=request.project,
            raw_input=data["text"].encode("utf-8"),
            charset="utf-8",
        )
    ]


def _drafts(request: HttpRequest):
    """The person's drafts waiting to join this project."""
    return ImportDraft.objects.filter(user=request.user, project=request.project)


def _to_draft(request: HttpRequest, draft: ImportDraft) -> HttpResponse:
    return redirect("reader:draft_preview", project=request.project.slug, pk=draft.pk)


def _to_import(request: HttpRequest) -> HttpResponse:
    return redirect("reader:article_import", project=request.project.slug)


@require_http_methods(["GET", "POST"])
@in_project(Role.ANNOTATOR)
def article_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            drafts = _drafts_from_form(request, form)
            for draft in drafts:
                # Refuse undecodable or empty input here, before a preview exists.
                services.prepare_input(
                    bytes(draft.raw_input),
                    filename=draft.filename,
                    url=draft.url,
                    content_type=draft.content_type,
                    charset=draft.charset or None,
                )
        except ImportFailed as error:
            form.add_error(None, str(error))
        else:
            ImportDraft.objects.bulk_create(drafts)
            return _to_draft(request, _drafts(request).first())
    pending = _drafts(request)
    return render(
        request,
        "reader/article_import.html",
        {"form": form, "pending": pending, "project": request.project},
        status=422 if form.errors else 200,
    )


def _draft_gone(request: HttpRequest) -> HttpResponse:
    """A draft saved or discarded already (another tab, the Back button): say so, with a way on."""
    following = _drafts(request).first()
    return render(
        request,
        "reader/draft_gone.html",
        {"following": following, "project": request.project},
        status=404,
    )


def _restore_form(request: HttpRequest, prepared) -> RestoreForm:
    dropped = [s["index"] for s in prepared.report["segments"] if s["role"] == CHROME]
    return RestoreForm(request.POST or None, dropped_indices=dropped)


def _prepare_draft(draft: ImportDraft, restore=()):
    return services.prepare_input(
        bytes(draft.raw_input),
        filename=draft.filename,
        url=draft.url,
        content_type=draft.content_type,
        charset=draft.charset or None,
        restore=restore,
    )


def _saved_or_gone(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft saved before (Back then Save, a double click) says so with a link to the
    article; one discarded says that it is gone."""
    article = services.already_saved(draft_id=pk, user=request.user)
    if article is None:
        return _draft_gone(request)
    return render(request, "reader/draft_saved.html", {"article": article})


def _details_form(request: HttpRequest, prepared, draft: ImportDraft) -> ArticleDetailsForm:
    initial = services.prepared_details(prepared, filename=draft.filename)
    return ArticleDetailsForm(request.POST or None, initial=initial)


def _render_preview(
    request: HttpRequest, draft: ImportDraft, prepared, restore, details, *, status: int = 200
) -> HttpResponse:
    template = "reader/draft_preview.html"
    if request.htmx:
        template += "#preview"
    remaining = _drafts(request).exclude(pk=draft.pk).count()
    project = request.project
    similar = services.similar_to_input(
        prepared=prepared, filename=draft.filename, url=draft.url, project=project
    )
    context = {
        "draft": draft,
        "prepared": prepared,
        "restore": set(restore),
        "remaining": remaining,
        "details": details,
        "duplicate": services.article_duplicate(prepared=prepared, url=draft.url, project=project),
        "similar": similar,
        "may_update": similar is not None
        and may_edit_article(request.user, similar.article, request.membership),
        "project": project,
    }
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
@private_page
@in_project(Role.ANNOTATOR)
def draft_preview(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _drafts(request).filter(pk=pk).first()
    if draft is None:
        return _saved_or_gone(request, pk)
    restore: list[int] = []
    if request.method == "POST":
        form = _restore_form(request, _prepare_draft(draft))
        if form.is_valid():
            restore = form.cleaned_data["restore"]
    try:
        prepared = _prepare_draft(draft, restore)
    except ImportFailed as error:
        draft.delete()
        messages.error(request, f"{draft}: {error}")
        return _to_import(request)
    details = _details_form(request, prepared, draft)
    return _render_preview(request, draft, prepared, restore, details)


@require_POST
@in_project(Role.ANNOTATOR)
def draft_save(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _drafts(request).filter(pk=pk).first()
    if draft is None:
        return _saved_or_gone(request, pk)
    form = _restore_form(request, _prepare_draft(draft))
    restore = form.cleaned_data["restore"] if form.is_valid() else []
    project = request.project
    choice = UpdateOfForm(request.POST, project=project)
    if not choice.is_valid():
        messages.error(request, "That article is not one this text can update.")
        return _to_draft(request, draft)
    details = None
    # The preview as rendered always sends the details; a bare Save keeps the pipeline's.
    if any(name in request.POST for name in services.DETAIL_FIELDS):
        details_form = ArticleDetailsForm(request.POST)
        if not details_form.is_valid():
            prepared = _prepare_draft(draft, restore)
            return _render_preview(request, draft, prepared, restore, details_form, status=422)
        details = {name: details_form.cleaned_data[name] for name in services.DETAIL_FIELDS}
    try:
        outcome = services.draft_save(
            draft_id=draft.pk,
            user=request.user,
            restore=restore,
            details=details,
            project=project,
            update_of=choice.cleaned_data["update_of"],
        )
    except ImportFailed as error:
        messages.error(request, f"{draft}: {error}")
        return _to_draft(request, draft)
    except services.DraftGone:
        return _draft_gone(request)
    if outcome.status == services.ALREADY_SAVED:
        return render(request, "reader/draft_saved.html", {"article": outcome.article})
    if outcome.status == services.PROPOSED:
        messages.info(
            request,
            f"“{outcome.article.title}” is already in this project and only its importer or "
            "the project's managers can change it: your version waits for their review.",
        )
    else:
        verb = {
            services.IMPORTED: "Imported",
            services.UPDATED: "Updated",
            services.UNCHANGED: "Already in the library:",
        }[outcome.status]
        messages.success(request, f"{verb} “{outcome.article.title}”.")
    following = _drafts(request).first()
    if following:
        return _to_draft(request, following)
    return redirect(outcome.article)


@require_POST
@in_project(Role.ANNOTATOR)
def draft_discard(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _drafts(request).filter(pk=pk).first()
    if draft is None:
        return _saved_or_gone(request, pk)
    draft.delete()
    messages.info(request, f"Discarded {draft}.")
    following = _drafts(request).first()
    if following:
        return _to_draft(request, following)
    return _to_import(request)


@require_safe
@private_page
@in_project()
def article_version(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """What changed in the article's text from the version before ``number`` to it."""
    article = get_object_or_404(
        Article.objects.in_project(request.project).only("pk", "slug", "title", "version", "project"),
        slug=slug,
    )
    version = get_object_or_404(ArticleVersion.objects.filter(article=article), number=number)
    previous = ArticleVersion.objects.filter(article=article, number__lt=number).last()
    lines = paragraph_diff(previous.text if previous else "", version.text)
    return render(
        request,
        "reader/article_version.html",
        {"article": article, "version": version, "previous": previous, "lines": lines},
    )


def _proposal(request: HttpRequest, slug: str, pk: int) -> ArticleProposal:
    """A proposed update is seen by the person who proposed it and by those who may
    accept it; to anyone else it does not exist."""
    proposal = get_object_or_404(
        ArticleProposal.objects.select_related("article", "article__project", "proposed_by"),
        pk=pk,
        article__slug=slug,
        article__project=request.project,
    )
    if proposal.proposed_by_id != request.user.pk and not may_edit_article(
        request.user, proposal.article
    ):
        raise Http404("No such proposed update.")
    return proposal


@require_http_methods(["GET", "POST"])
@private_page
@in_project()
def proposal_review(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    proposal = _proposal(request, slug, pk)
    article = proposal.article
    editor = may_edit_article(request.user, article)
    if request.method == "POST":
        decision = request.POST.get("decision")
        if not editor:
            raise PermissionDenied("Only the article's importer and the project's managers can decide.")
        try:
            if decision == "accept":
                counts = services.article_proposal_accept(proposal=proposal, user=request.user)
                messages.success(
                    request,
                    f"Updated “{proposal.title}”: {counts['moved']} annotation"
                    f"{pluralize(counts['moved'])} moved, {counts['orphaned']} orphaned.",
                )
                return redirect(article)
            if decision == "reject":
                services.article_proposal_reject(proposal=proposal, user=request.user)
                messages.info(request, "The proposed update was rejected; the article is unchanged.")
                return redirect(article)
        except services.NotAllowed as error:
            messages.error(request, str(error))
            return redirect(
                "reader:proposal_review", project=request.project.slug, slug=slug, pk=pk
            )
        return HttpResponseBadRequest("Choose accept or reject.")
    return render(
        request,
        "reader/proposal_review.html",
        {
            "article": article,
            "proposal": proposal,
            "editor": editor,
            "lines": paragraph_diff(article.text, proposal.text),
        },
    )


@require_http_methods(["GET", "POST"])
@private_page
@in_project(Role.MANAGER)
def article_delete(request: HttpRequest, slug: str) -> HttpResponse:
    """A manager deletes an article, after a page that says whose annotations go with it."""
    article = get_object_or_404(
        Article.objects.in_project(request.project).only("pk", "slug", "title", "project"),
        slug=slug,
    )
    # Everyone's, private ones included: they are deleted too, so the count says so
    # (without saying what they are).
    annotations = Annotation.objects.filter(article=article)
    by_person = list(
        annotations.values_list("user__username")
        .annotate(n=Count("pk"))
        .order_by("-n", "user__username")
    )
    total = sum(n for _name, n in by_person)
    # What the confirmation showed: work saved, changed or removed since then is not
    # deleted unseen; the page is shown again with the new count.
    state = annotations.aggregate(latest=Max("updated"))["latest"]
    seen = f"{total}.{state.isoformat() if state else '-'}"
    changed = False
    if request.method == "POST":
        if request.POST.get("confirm") != "delete":
            return HttpResponseBadRequest("Confirm the deletion with the button on the page.")
        changed = request.POST.get("seen") != seen
        if not changed:
            title = article.title
            article.delete()
            messages.success(
                request, f"Deleted “{title}” and its {total} annotation{pluralize(total)}."
            )
            return redirect("reader:article_list", project=request.project.slug)
    return render(
        request,
        "reader/article_delete.html",
        {"article": article, "by_person": by_person, "total": total, "seen": seen, "changed": changed},
        status=409 if changed else 200,
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 400 page, saying what was wrong when the message was written for people."""
    from annotations.reading import BadParameter

    message = str(exception) if isinstance(exception, BadParameter) else ""
    return render(request, "400.html", {"message": message}, status=400)
