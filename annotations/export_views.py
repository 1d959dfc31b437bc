from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def annotations_csv(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Export is not built yet.", status=501, content_type="text/plain")


@require_GET
def annotations_jsonld(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Export is not built yet.", status=501, content_type="text/plain")
