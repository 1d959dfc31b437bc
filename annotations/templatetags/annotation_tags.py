from __future__ import annotations

import bleach
from bleach.callbacks import nofollow, target_blank
from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _safe_link(attrs, new=False):
    href = attrs.get((None, "href"), "")
    if not href.lower().startswith(("http://", "https://")):
        return None
    attrs[(None, "rel")] = "nofollow noopener noreferrer"
    return attrs


@register.filter
def urlize_note(note: str) -> SafeString:
    """A plain-text note with its web addresses made into safe links."""
    if "http" not in note and "www." not in note:
        return escape(note)  # nothing to link: skip bleach's parser
    linked = bleach.linkify(
        escape(note), callbacks=[nofollow, target_blank, _safe_link], parse_email=False
    )
    return mark_safe(linked)  # noqa: S308 - input escaped, links built by bleach


@register.simple_tag(takes_context=True)
def annotation_card(context, annotation) -> SafeString:
    from ..cards import render_card

    user = context.get("user")
    return mark_safe(render_card(annotation, user_id=getattr(user, "pk", None)))  # noqa: S308


@register.simple_tag(takes_context=True)
def annotation_cards(context, annotations) -> SafeString:
    from ..cards import render_cards

    user = context.get("user")
    return mark_safe(render_cards(annotations, user_id=getattr(user, "pk", None)))  # noqa: S308
