"""The site's URLs plus two minimal views the benchmarks compare the site with:
/bench/fixed/ (a fixed string, for the reading page's throughput) and
/bench/noop/ (a logged-in POST that does nothing and redirects: the framework's
share of an annotation save, with the same middleware, session and user lookup)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import include, path
from django.views.decorators.http import require_POST


@login_not_required
def fixed(request: HttpRequest) -> HttpResponse:
    return HttpResponse("fixed", content_type="text/plain")


@require_POST
def noop(request: HttpRequest) -> HttpResponse:
    request.user.pk  # noqa: B018 - loads the user, as every logged-in view does
    return redirect("/")


urlpatterns = [
    path("bench/fixed/", fixed),
    path("bench/noop/", noop),
    path("", include("config.urls")),
]
