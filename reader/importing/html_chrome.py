"""The cleaning report for an HTML page: every visible block of the page that
did not become part of the article, with the rule that left it out, placed
among the article's blocks in page order."""

from __future__ import annotations

import re
from html import escape, unescape

from lxml import etree

from reader.importing.types import CHROME, Segment

SPACE = re.compile(r"\s+")
WORD = re.compile(r"\w+")
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
# Consecutive dropped blocks shorter than SHORT_BLOCK are reported as one,
# up to MERGED_BLOCK characters.
SHORT_BLOCK = 80
MERGED_BLOCK = 600
SEPARATOR = " · "
# A page block shorter than this is matched to a segment only when they are equal.
CONTAINMENT_MIN_CHARS = 30


def key(text: str) -> str:
    """A block's words, casefolded: what two renderings of one block share."""
    return " ".join(WORD.findall(text.casefold()))


def visible_blocks(root: etree._Element) -> list[tuple[str, bool]]:
    """The page's visible block-level texts in document order, each with whether
    it sits inside navigation (nav, header, footer, aside)."""
    blocks: list[tuple[str, bool]] = []
    buffer: list[str] = []
    append = buffer.append

    def flush(navigation: bool) -> None:
        text = "".join(buffer)
        buffer.clear()
        if text and not text.isspace():
            blocks.append((SPACE.sub(" ", text).strip(), navigation))

    def walk(el: etree._Element, navigation: bool) -> None:
        # Called for visible elements only; leaf inline children (most of a page)
        # are read in the loop rather than by a call of their own.
        tag = el.tag
        block = tag in BLOCKS
        if block:
            if buffer:
                flush(navigation)
            navigation = navigation or tag in NAVIGATION_TAGS or el.get("role") in NAVIGATION_ROLES
        elif tag == "br":
            append(" ")
        text = el.text
        if text:
            append(text)
        for child in el:
            child_tag = child.tag
            if (
                child_tag.__class__ is str
                and child_tag not in SKIPPED
                and child.get("hidden") is None
            ):
                if len(child) or child_tag in BLOCKS or child_tag == "br":
                    walk(child, navigation)
                else:
                    text = child.text
                    if text:
                        append(text)
            tail = child.tail
            if tail:
                append(tail)
        if block and buffer:
            flush(navigation)

    body = root.find("body") if root.tag == "html" else root
    start = body if body is not None else root
    if isinstance(start.tag, str) and start.tag not in SKIPPED and start.get("hidden") is None:
        walk(start, False)
    if buffer:
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
    padded = [f" {k} " if k else "" for k in keys]
    covered = " " + " ".join(keys) + " "
    # A block can sit inside the article's text only if each of its words does.
    covered_words = set(covered.split())
    body_started = False
    result: list[Segment] = []
    seen_labels: set[str] = set()
    next_index = 0
    standfirst_key = key(standfirst)
    for text, navigation in visible_blocks(root):
        block_key = key(text)
        if not block_key:
            continue
        padded_block = f" {block_key} "
        match = _find(block_key, padded_block, keys, padded, next_index)
        if match is not None:
            body_started = body_started or any(s.kept for s in segments[next_index : match + 1])
            result.extend(segments[next_index : match + 1])
            next_index = match + 1
            continue
        if covered_words.issuperset(block_key.split(" ")) and padded_block in covered:
            continue
        if standfirst_key == block_key and not body_started:
            role, rule = CHROME, "standfirst"
            standfirst_key = ""
        elif block_key in labels and block_key not in seen_labels:
            seen_labels.add(block_key)
            role, rule = labels[block_key]
        else:
            role, rule = CHROME, "navigation" if navigation else "not-main-content"
        html = escape(text, quote=False)
        previous = result[-1] if result else None
        if (
            role == CHROME
            and previous is not None
            and previous.rule == rule
            and len(text) < SHORT_BLOCK
            and len(previous.html) < MERGED_BLOCK
            and len(previous.html.partition(SEPARATOR)[0]) < SHORT_BLOCK
            and previous.html.rpartition(SEPARATOR)[2] != html
        ):
            # Runs of short links (menus, tag lists, teasers) are one item of the report.
            previous.html += SEPARATOR + html
            continue
        result.append(Segment(html=html, kind="p", role=role, rule=rule))
    result.extend(segments[next_index:])
    return result


def _find(
    block_key: str, padded_block: str, keys: list[str], padded: list[str], start: int
) -> int | None:
    """The next segment (within LOOKAHEAD) that this page block shows."""
    end = min(len(keys), start + LOOKAHEAD)
    if len(block_key) < CONTAINMENT_MIN_CHARS:
        try:
            return keys.index(block_key, start, end)
        except ValueError:
            return None
    for index in range(start, end):
        candidate = keys[index]
        if candidate == block_key or (
            candidate and len(candidate) * 2 >= len(block_key) and padded[index] in padded_block
        ):
            return index
    return None
