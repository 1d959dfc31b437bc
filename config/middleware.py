"""Answers for people where Django would answer for programmers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

BUSY = "The database is busy; try again in a moment. Nothing was saved."


class DatabaseBusyMiddleware:
    """A write that cannot get SQLite's lock within the busy timeout is a 503, not a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError) and "database is locked" in str(exception):
            response = HttpResponse(BUSY, status=503, content_type="text/plain; charset=utf-8")
            response["Retry-After"] = "2"
            return response
        return None


class PeoplePagesMiddleware:
    """A missing page, a refusal or a bad parameter raised by a view answers with the
    site's own page, with DEBUG on too: Django's debug pages are for programming errors,
    not for a stale link or a bookmark with an old filter."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from annotations.reading import BadParameter
        from reader.views import bad_request

        if isinstance(exception, Http404):
            # htmx swaps a 404's body (base.html's responseHandling): a fragment, not a page.
            template = "includes/_gone.html" if request.htmx else "404.html"
            return render(request, template, status=404)
        if request.htmx:
            return None
        if isinstance(exception, BadParameter):
            return bad_request(request, exception)
        if isinstance(exception, PermissionDenied):
            return render(request, "403.html", {"exception": str(exception)}, status=403)
        return None
