"""The coding guide's Markdown, rendered and then cleaned: what a manager types can
format text and link, never run script or load anything."""

from __future__ import annotations

from functools import lru_cache

import bleach
import markdown as md
from django import template
from django.utils.safestring import mark_safe

register = template.Library()

TAGS = ["p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h4", "h5"]
ATTRIBUTES = {"a": ["href", "title"]}
PROTOCOLS = ["http", "https", "mailto"]
CACHED_LENGTH = 4000


@register.filter
def guide_markdown(text: str) -> str:
    if not text:
        return ""
    # Long texts are rendered each time, so the cache stays small whatever managers type.
    render = _rendered if len(text) <= CACHED_LENGTH else _rendered.__wrapped__
    return mark_safe(render(text))  # noqa: S308 - cleaned by bleach in _rendered


@lru_cache(maxsize=512)
def _rendered(text: str) -> str:
    # The reading page shows the whole guide on every view: the same few texts, rendered
    # once per process (Markdown, then bleach twice, is a millisecond a field).
    # Markdown's own raw HTML is escaped first; bleach then keeps only the tags above.
    html = md.markdown(text.replace("<", "&lt;"), extensions=[], output_format="html")
    cleaned = bleach.clean(html, tags=TAGS, attributes=ATTRIBUTES, protocols=PROTOCOLS, strip=True)
    linked = bleach.linkify(cleaned, callbacks=[bleach.callbacks.nofollow, bleach.callbacks.target_blank])
    return linked
