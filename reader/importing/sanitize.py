"""The one place imported HTML is made safe and normal.

Every import passes through :func:`build_body`. Its output is a sequence of
blocks with a tiny inline allowlist, whitespace collapsed inside each block so
that the browser's text content of a block equals the server's, and each block
carrying ``data-offset``: the index of its first character in the canonical
text (blocks joined by a blank line).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import bleach
import lxml.html
from lxml import etree

BLOCK_TAGS = ("p", "h2", "h3", "h4", "blockquote", "li", "figcaption")
INLINE_TAGS = frozenset({"a", "em", "strong", "q", "cite", "sub", "sup"})
INLINE_ATTRIBUTES = {"a": ["href"]}
PROTOCOLS = frozenset({"http", "https", "mailto"})
BLOCK_SEPARATOR = "\n\n"
# Wrappers a block needs to be valid HTML; they carry no text of their own.
_CONTAINER = {"li": "ul", "figcaption": "figure"}

_WHITESPACE = re.compile(r"\s+")
# Characters that cannot be stored or serialised: C0/C1 controls, lone
# surrogates, and the two XML non-characters.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def storable(text: str) -> str:
    """text without the characters that cannot be stored or serialised (lxml
    refuses them as an element's text too)."""
    return _UNSTORABLE.sub("", text)

# Their content is code or styling, never article text: dropped whole, before
# bleach (which keeps the text of the tags it strips).
_CODE_ELEMENTS = re.compile(
    r"<(script|style|template|noscript|iframe|object|svg|math)\b.*?(</\1\s*>|\Z)",
    re.IGNORECASE | re.DOTALL,
)

_cleaner = bleach.sanitizer.Cleaner(
    tags=INLINE_TAGS,
    attributes=INLINE_ATTRIBUTES,
    protocols=PROTOCOLS,
    strip=True,
    strip_comments=True,
)

# bleach.clean(value, tags=set(), strip=True) builds this cleaner anew on every call.
_text_cleaner = bleach.sanitizer.Cleaner(tags=set(), strip=True)


def _strip_unsafe_content(html: str) -> str:
    return _CODE_ELEMENTS.sub("", storable(html))


def clean_inline(html: str) -> str:
    """Sanitize one block's inline HTML to the allowlist."""
    return _cleaner.clean(_strip_unsafe_content(html))


# Blocks are cleaned in one bleach call, joined by a character no block contains:
# most of bleach's cost is per call. A block takes part only when every tag in it
# is phrasing markup that cannot carry the parser's state past its end (no
# comments, raw-text elements or tables); the result is split back and each
# piece must pass _is_whole_piece, else every block is cleaned on its own.
_SEPARATOR = "\ue000"
_PHRASING = (
    "a|abbr|b|bdi|bdo|br|cite|code|data|del|dfn|em|font|i|ins|kbd|mark|q|s|samp|small"
    "|span|strike|strong|sub|sup|time|tt|u|var|wbr"
)
_PHRASING_TAG = re.compile(rf"</?(?:{_PHRASING})(?=[\s/>])[^<>]*>", re.IGNORECASE)
# What bleach's serializer writes for the allowlist: text with "<" and ">" escaped,
# allowlisted tags, and links whose href is one quoted value (bleach escapes "<"
# and '"' in it). Anything else means a piece was cut from the middle of markup.
_INLINE_NAMES = "|".join(sorted(INLINE_TAGS))
_PIECE_TOKEN = re.compile(
    rf'[^<>{_SEPARATOR}]+|<({_INLINE_NAMES})>|<(a) href="[^"<{_SEPARATOR}]*">|</({_INLINE_NAMES})>'
)


def _batchable(html: str) -> bool:
    return _SEPARATOR not in html and "<" not in _PHRASING_TAG.sub("", html)


def _is_whole_piece(piece: str) -> bool:
    """Only allowlisted markup, every tag closed within the piece."""
    open_tags: list[str] = []
    position = 0
    for match in _PIECE_TOKEN.finditer(piece):
        if match.start() != position:
            return False
        position = match.end()
        opened, link, closed = match.groups()
        if opened or link:
            open_tags.append(opened or link)
        elif closed:
            if not open_tags or open_tags.pop() != closed:
                return False
    return position == len(piece) and not open_tags


# Most blocks reach bleach already in the form it writes: text with only "&amp;",
# "&lt;" and "&gt;" for entities, the allowlist's tags without attributes, links
# with one absolute href, every tag closed in order and no link inside a link.
# bleach gives such a block back unchanged, so it is not asked.
_PLAIN_CHARS = "[^<>&\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff\ue000]"
_BARE_TAGS = "|".join(sorted(INLINE_TAGS - {"a"}))
_CLEAN_TOKEN = re.compile(
    rf"(?:{_PLAIN_CHARS}|&(?:amp|lt|gt);)+|<({_BARE_TAGS})>"
    r'|<(a) href="(?:https?://|mailto:)[^"<>&\s\x00-\x20\x7f-\xa0]*">'
    rf"|</({_INLINE_NAMES})>"
)


def _already_clean(html: str) -> bool:
    open_tags: list[str] = []
    position = 0
    for match in _CLEAN_TOKEN.finditer(html):
        if match.start() != position:
            return False
        position = match.end()
        opened, link, closed = match.groups()
        if link and link in open_tags:
            return False
        if opened or link:
            open_tags.append(opened or link)
        elif closed and (not open_tags or open_tags.pop() != closed):
            return False
    return position == len(html) and not open_tags


def clean_blocks(htmls: list[str]) -> list[str]:
    """clean_inline for each block, with as few bleach calls as is safe."""
    prepared = [_strip_unsafe_content(html) for html in htmls]
    cleaned: list[str | None] = [html if _already_clean(html) else None for html in prepared]
    batch = [i for i, html in enumerate(prepared) if cleaned[i] is None and _batchable(html)]
    if len(batch) > 1:
        pieces = _cleaner.clean(_SEPARATOR.join(prepared[i] for i in batch)).split(_SEPARATOR)
        if len(pieces) == len(batch) and all(_is_whole_piece(p) for p in pieces):
            for index, piece in zip(batch, pieces, strict=True):
                cleaned[index] = piece
    return [
        piece if piece is not None else _cleaner.clean(html)
        for piece, html in zip(cleaned, prepared, strict=True)
    ]


def _text_slots(element: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """(element, "text"|"tail") pairs in document order below ``element``."""
    yield element, "text"
    for child in element:
        yield from _text_slots(child)
        yield child, "tail"


def _collapse(root: etree._Element) -> None:
    if not len(root):
        root.text = _WHITESPACE.sub(" ", root.text or "").strip(" ") or None
        return
    slots = list(_text_slots(root))
    pending_space = False
    seen_text = False
    last_written: tuple[etree._Element, str] | None = None
    for node, attr in slots:
        value = getattr(node, attr)
        if not value:
            continue
        out = []
        parts = _WHITESPACE.split(value)
        for i, piece in enumerate(parts):
            if i > 0:
                pending_space = True
            if piece:
                if pending_space and seen_text:
                    if not out and attr == "text" and node is not root and last_written:
                        # A space that opens an element goes before it instead, so a
                        # link's underline does not start with a space (same text).
                        held, held_attr = last_written
                        setattr(held, held_attr, (getattr(held, held_attr) or "") + " ")
                    else:
                        out.append(" ")
                out.append(piece)
                pending_space = False
                seen_text = True
        setattr(node, attr, "".join(out) or None)
        if out:
            last_written = (node, attr)


@dataclass(frozen=True)
class Block:
    kind: str
    html: str  # sanitized inline HTML, whitespace collapsed
    text: str  # its text content


def normalize_block(kind: str, inline_html: str) -> Block | None:
    """Sanitize and collapse one block; None when nothing readable is left."""
    cleaned = clean_inline(inline_html)
    if not cleaned:
        return None
    return _finish_block(kind, lxml.html.fragment_fromstring(f"<div>{cleaned}</div>"))


def _finish_block(kind: str, root: etree._Element) -> Block | None:
    """Collapse and check the links of one cleaned block parsed into a ``div``."""
    if kind not in BLOCK_TAGS:
        kind = "p"
    _collapse(root)
    for link in list(root.iter("a")):
        # bleach keeps relative and protocol-relative hrefs; on the reading page they
        # would point into this site or to an unnamed host, so only absolute
        # http(s)/mailto links stay links; the others keep their text.
        if _link_scheme(link.get("href", "")) not in PROTOCOLS:
            link.drop_tag()
        else:
            link.set("rel", "nofollow noopener noreferrer")
    text = root.text_content()
    if not text.strip():
        return None
    inner = etree.tostring(root, encoding="unicode", method="html", with_tail=False)
    inner = inner[len("<div>") : -len("</div>")]
    return Block(kind=kind, html=inner, text=text)


def _parse_cleaned(cleaned: list[str]) -> list[etree._Element | None]:
    """Each cleaned block parsed into a ``div``; whole pieces share one parse,
    which cannot mix them up since none holds an unclosed tag or a "<" outside one."""
    roots: list[etree._Element | None] = [None] * len(cleaned)
    whole = [i for i, html in enumerate(cleaned) if html and _is_whole_piece(html)]
    if whole:
        joined = "".join(f"<div>{cleaned[i]}</div>" for i in whole)
        container = lxml.html.fragment_fromstring(f"<div>{joined}</div>")
        if len(container) == len(whole):
            for index, root in zip(whole, container, strict=True):
                roots[index] = root
    for index, html in enumerate(cleaned):
        if html and roots[index] is None:
            roots[index] = lxml.html.fragment_fromstring(f"<div>{html}</div>")
    return roots


def _link_scheme(href: str) -> str:
    try:
        parts = urlsplit(href.strip())
    except ValueError:
        return ""
    if parts.scheme.lower() in ("http", "https") and not parts.netloc:
        return ""
    return parts.scheme.lower()


@dataclass(frozen=True)
class Body:
    html: str
    text: str
    blocks: tuple[Block, ...]


def build_body(blocks: Iterable[tuple[str, str]]) -> Body:
    """Turn (kind, inline HTML) pairs into the stored body HTML and canonical text."""
    pairs = list(blocks)
    roots = _parse_cleaned(clean_blocks([inline_html for _, inline_html in pairs]))
    kept: list[Block] = []
    for (kind, _), root in zip(pairs, roots, strict=True):
        block = _finish_block(kind, root) if root is not None else None
        if block is not None:
            kept.append(block)
    parts: list[str] = []
    offset = 0
    open_container = ""
    for index, block in enumerate(kept):
        container = _CONTAINER.get(block.kind, "")
        if container != open_container:
            if open_container:
                parts.append(f"</{open_container}>")
            if container:
                parts.append(f"<{container}>")
            open_container = container
        parts.append(f'<{block.kind} data-offset="{offset}">{block.html}</{block.kind}>')
        offset += len(block.text) + (len(BLOCK_SEPARATOR) if index < len(kept) - 1 else 0)
    if open_container:
        parts.append(f"</{open_container}>")
    return Body(
        html="\n".join(parts),
        text=BLOCK_SEPARATOR.join(b.text for b in kept),
        blocks=tuple(kept),
    )


def plain_text(value: str) -> str:
    """A single-line metadata value (title, byline…): text only, spaces collapsed."""
    value = _CODE_ELEMENTS.sub(" ", storable(value or ""))
    collapsed = _WHITESPACE.sub(" ", value).strip()
    if _is_bare_text(collapsed):
        return collapsed
    cleaned = _text_cleaner.clean(value)
    text = lxml.html.fragment_fromstring(f"<div>{cleaned}</div>").text_content() if cleaned else ""
    return _WHITESPACE.sub(" ", text).strip()


def _is_bare_text(value: str) -> bool:
    """Printable text without markup or entities, which bleach and the parser
    give back as it is: most titles and bylines skip them (a fifth of a
    millisecond each, mostly bleach setting up its parser)."""
    return "<" not in value and "&" not in value and value.isprintable()
