"""Annotation cards, built in Python: the reading page lists up to thousands of
them, and a template include per card costs more than the rest of the page."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.urls import reverse
from django.utils.html import escape

from .templatetags.annotation_tags import urlize_note

_PLACEHOLDER = uuid.UUID(int=0)
MOVED_HINT = "The article changed; this highlight was moved to where its quote is now."
DELETE_CONFIRM = "Delete this annotation? This cannot be undone."


def _shorten(text: str, limit: int = 280) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _username(a) -> str:
    return a.username if hasattr(a, "username") else a.user.get_username()


def _url_pattern(name: str) -> str:
    return reverse(name, args=[_PLACEHOLDER]).replace(str(_PLACEHOLDER), "{}")


def render_card(a, *, user_id: int | None, edit_url: str = "", delete_url: str = "") -> str:
    """One card; ``a`` is an AnnotationRow, or an Annotation with ``stance_list`` set."""
    pk = str(a.pk)
    mine = a.user_id == user_id
    updated = a.updated.replace(microsecond=0).isoformat().replace("+00:00", "Z")
    parts = [
        f'<li class="card{" mine" if mine else ""}" id="ann-{pk}" tabindex="-1" '
        f'data-start="{a.start}" data-end="{a.end}">',
        f'<blockquote class="quote">{escape(_shorten(a.quote))}</blockquote>',
    ]
    if a.stance_list:
        chips = "".join(
            f'<span class="chip" style="--c:{escape(s.colour)}">{escape(s.name)}</span>'
            for s in a.stance_list
        )
        parts.append(f'<p class="chips">{chips}</p>')
    if a.note:
        parts.append(f'<div class="note">{urlize_note(a.note)}</div>')
    parts.append(
        f'<p class="byline"><span class="author">{escape(_username(a))}</span> '
        f'<time datetime="{updated}">{a.updated:%-d %b %Y, %H:%M} UTC</time>'
    )
    if a.visibility == "private":
        parts.append(' <span class="badge">private</span>')
    if a.anchor_status == "moved":
        parts.append(f' <span class="badge" title="{MOVED_HINT}">moved</span>')
    parts.append("</p>")
    original = getattr(a, "original_quote", "")
    if a.anchor_status == "moved" and original:
        parts.append(f'<p class="original-quote">Made on: <q>{escape(_shorten(original))}</q></p>')
        if mine:
            confirm = reverse("annotations:confirm", args=[pk])
            parts.append(
                f'<p class="card-actions"><a href="{confirm}" hx-post="{confirm}" '
                f'hx-target="#annotated" hx-swap="outerHTML" hx-include="#filters">'
                "Keep it here</a></p>"
            )
    if mine:
        edit = (edit_url or _url_pattern("annotations:edit")).format(pk)
        delete = (delete_url or _url_pattern("annotations:delete")).format(pk)
        parts.append(
            f'<p class="card-actions"><a href="{edit}" hx-get="{edit}" hx-target="#ann-{pk}" '
            f'hx-swap="innerHTML">Edit</a> <a href="{delete}" hx-post="{delete}" '
            f'hx-target="#annotated" hx-swap="outerHTML" hx-include="#filters" '
            f'hx-confirm="{DELETE_CONFIRM}">Delete</a></p>'
        )
    parts.append("</li>")
    return "".join(parts)


def render_cards(annotations: Iterable, *, user_id: int | None) -> str:
    edit_url = _url_pattern("annotations:edit")
    delete_url = _url_pattern("annotations:delete")
    return "\n".join(
        render_card(a, user_id=user_id, edit_url=edit_url, delete_url=delete_url)
        for a in annotations
    )
