"""The site's URLs plus /bench/fixed/, the minimal view the reading page is compared with."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


@login_not_required
def fixed(request: HttpRequest) -> HttpResponse:
    return HttpResponse("fixed", content_type="text/plain")


urlpatterns = [
    path("bench/fixed/", fixed),
    path("", include("config.urls")),
]
