"""``{% link 'name' arg %}``: ``{% url %}`` for the links every page's header repeats,
reversed once per process (projects.links.cached_reverse)."""

from __future__ import annotations

from django import template

from ..links import cached_reverse

register = template.Library()


@register.simple_tag
def link(name: str, *args) -> str:
    return cached_reverse(name, *args)
