"""The site's routes, read from the URL configuration, so new views are walked too."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver


def routes(patterns=None, prefix: str = "") -> Iterator[str]:
    """Every route outside the admin, as a path with <placeholders>."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if not route.startswith("admin/"):
                yield from routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route
