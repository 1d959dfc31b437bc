"""A write that cannot get SQLite's lock within the busy timeout is a 503, not a 500."""

from __future__ import annotations

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse

BUSY = "The database is busy; try again in a moment. Nothing was saved."


class DatabaseBusyMiddleware:
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
