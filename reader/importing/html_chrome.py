"""The cleaning report for an HTML page: every visible block of the page that
did not become part of the article, with the rule that left it out, placed
among the article's blocks in page order."""

from __future__ import annotations

import re
from html import escape, unescape

from lxml import etree

from reader.importing.types import CHROME, Segment

SPACE = re.compile(r"\s+")
NON_WORD = re.compile(r"[^\w\s]+")
TAG = re.compile(r"<[^>]*>")

SKIPPED = {
    "head",
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "iframe",
    "object",
    "embed",
    "canvas",
    "video",
    "audio",
    "select",
    "option",
    "textarea",
    "button",
    "input",
}
BLOCKS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "td",
    "th",
    "tr",
    "ul",
}
NAVIGATION_TAGS = {"nav", "header", "footer", "aside", "menu"}
NAVIGATION_ROLES = {"navigation", "banner", "contentinfo", "complementary", "menu", "menubar"}
# Segments within this many positions ahead are searched for a page block's match.
LOOKAHEAD = 40


def key(text: str) -> str:
    return SPACE.sub(" ", NON_WORD.sub(" ", text.casefold())).strip()


def visible_blocks(root: etree._Element) -> list[tuple[str, bool]]:
    """The page's visible block-level texts in document order, each with whether
    it sits inside navigation (nav, header, footer, aside)."""
    blocks: list[tuple[str, bool]] = []
    buffer: list[str] = []

    def flush(navigation: bool) -> None:
        text = SPACE.sub(" ", "".join(buffer)).strip()
        buffer.clear()
        if text:
            blocks.append((text, navigation))

    def walk(el: etree._Element, navigation: bool) -> None:
        tag = el.tag
        if not isinstance(tag, str) or tag in SKIPPED or el.get("hidden") is not None:
            return
        if tag in BLOCKS:
            flush(navigation)
            inner = navigation or tag in NAVIGATION_TAGS or el.get("role") in NAVIGATION_ROLES
            if el.text:
                buffer.append(el.text)
            for child in el:
                walk(child, inner)
                if child.tail:
                    buffer.append(child.tail)
            flush(inner)
        else:
            if tag == "br":
                buffer.append(" ")
            if el.text:
                buffer.append(el.text)
            for child in el:
                walk(child, navigation)
                if child.tail:
                    buffer.append(child.tail)

    body = root.find("body") if root.tag == "html" else root
    walk(body if body is not None else root, False)
    flush(False)
    return blocks


def segment_key(segment: Segment) -> str:
    return key(unescape(TAG.sub(" ", segment.html)))


def chrome_segments(
    root: etree._Element,
    segments: list[Segment],
    *,
    labels: dict[str, tuple[str, str]] | None = None,
    standfirst: str = "",
) -> list[Segment]:
    """The extractor's segments with the page's other blocks inserted as chrome
    where they stand on the page. `labels` maps a block's key to the (role,
    rule) of a metadata block such as the headline or the byline. A block
    that reads as `standfirst` above the article's first block is named as
    such, but stays out: standfirsts outside the main content are as often
    teasers that are not part of the article."""
    labels = labels or {}
    keys = [segment_key(s) for s in segments]
    covered = " " + " ".join(keys) + " "
    result: list[Segment] = []
    seen_labels: set[str] = set()
    next_index = 0
    standfirst_key = key(standfirst)
    for text, navigation in visible_blocks(root):
        block_key = key(text)
        if not block_key:
            continue
        match = _find(block_key, keys, next_index)
        if match is not None:
            result.extend(segments[next_index : match + 1])
            next_index = match + 1
            continue
        if f" {block_key} " in covered:
            continue
        if standfirst_key == block_key and not any(s.kept for s in result):
            role, rule = CHROME, "standfirst"
            standfirst_key = ""
        elif block_key in labels and block_key not in seen_labels:
            seen_labels.add(block_key)
            role, rule = labels[block_key]
        else:
            role, rule = CHROME, "navigation" if navigation else "not-main-content"
        result.append(Segment(html=escape(text, quote=False), kind="p", role=role, rule=rule))
    result.extend(segments[next_index:])
    return result


def _find(block_key: str, keys: list[str], start: int) -> int | None:
    for index in range(start, min(len(keys), start + LOOKAHEAD)):
        candidate = keys[index]
        if candidate == block_key or (
            candidate
            and 2 * len(candidate) >= len(block_key)
            and f" {candidate} " in f" {block_key} "
        ):
            return index
    return None
