"""Redirects from the addresses of before projects (see legacy_urls)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_safe

from projects.models import Project

from .models import Article


def _with_query(request: HttpRequest, url: str) -> str:
    query = request.META.get("QUERY_STRING", "")
    return f"{url}?{query}" if query else url


@require_safe
def to_article(request: HttpRequest, slug: str, rest: str) -> HttpResponse:
    article = get_object_or_404(
        Article.objects.visible_to(request.user).select_related("project").only(
            "slug", "project__slug"
        ),
        slug=slug,
    )
    url = article.get_absolute_url() + rest
    return HttpResponsePermanentRedirect(_with_query(request, url))


@require_safe
def to_project(request: HttpRequest, name: str) -> HttpResponse:
    """The list or import page of the person's only project; with several, the choice."""
    projects = list(Project.objects.for_member(request.user).values_list("slug", flat=True)[:2])
    if not projects:
        raise Http404("You are not a member of any project.")
    if len(projects) > 1:
        return redirect("home")
    return redirect(_with_query(request, reverse(name, kwargs={"project": projects[0]})))
