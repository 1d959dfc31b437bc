"""Addresses that every page repeats (the header's links, the switcher's projects), reversed
once per process, script prefix and URL configuration instead of on every page."""

from __future__ import annotations

import functools

from django.urls import get_script_prefix, get_urlconf, reverse


def cached_reverse(name: str, *args) -> str:
    return _reversed(get_script_prefix(), get_urlconf(), name, tuple(str(a) for a in args))


@functools.lru_cache(maxsize=4096)
def _reversed(_prefix: str, _urlconf, name: str, args: tuple[str, ...]) -> str:
    return reverse(name, args=args)
