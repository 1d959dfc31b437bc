"""Response headers of pages that show what one person may see."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers


def private_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """No shared cache or browser history keeps a logged-in person's page, and caches
    tell the htmx fragment from the full page of the same address."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        patch_vary_headers(response, ["HX-Request"])
        return response

    return wrapped
