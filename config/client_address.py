"""The address of the person at the other end, as far as the configured proxies vouch for it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip


def client_address(request: HttpRequest) -> str:
    """The client's address: the connecting one, or the one the trusted proxies recorded.

    With ``TRUSTED_PROXY_COUNT = n`` the nearest proxy is the connecting address and the
    ``n`` proxies each appended the address they saw to X-Forwarded-For, so the client is
    the n-th entry from the right; whatever a client wrote further left is ignored. With
    no trusted proxy the header is never read: anyone can write it.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    # django-ipware counts the proxies listed in the header; the nearest one is not listed.
    address, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=proxies - 1,
        request_header_order=["HTTP_X_FORWARDED_FOR"],
        strict=False,
    )
    return address or remote
