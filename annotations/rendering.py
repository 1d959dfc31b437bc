"""Server-side highlights: the article body with annotations as <mark> segments.

Marks never cross an element boundary: every text node of the body is cut at
each annotation boundary, and each piece covered by at least one annotation
becomes one <mark> naming every annotation that covers it. Overlaps therefore
need no special case, and the text content of every block is unchanged.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

import lxml.html
from lxml import etree

from reader.importing.sanitize import BLOCK_TAGS


@dataclass(frozen=True)
class Span:
    id: str
    start: int
    end: int
    stance_ids: tuple[int, ...]
    mine: bool


def _mark_attributes(covering: Sequence[Span], colours: dict[int, str], memo: dict) -> dict[str, str]:
    key = tuple(span.id for span in covering)
    attributes = memo.get(key)
    if attributes is None:
        attributes = memo[key] = _build_mark_attributes(covering, colours)
    return attributes


def _build_mark_attributes(covering: Sequence[Span], colours: dict[int, str]) -> dict[str, str]:
    stance_ids = sorted({s for span in covering for s in span.stance_ids})
    classes = ["hl"]
    if any(span.mine for span in covering):
        classes.append("hl-mine")
    if not all(span.mine for span in covering):
        classes.append("hl-others")
    if len(covering) > 1:
        classes.append("hl-overlap")
    attributes = {
        "class": " ".join(classes),
        "data-annotations": " ".join(span.id for span in covering),
    }
    palette = [colours[s] for s in stance_ids if s in colours]
    if len(palette) == 1:
        attributes["style"] = f"--hl:{palette[0]}"
    elif palette:
        # Hard stops, written short (a stop at 0 starts where the last one ended):
        # a thousand overlapping marks each carry one.
        step = 100 / len(palette)
        stops = "".join(f"{c} 0 {(i + 1) * step:.3g}%," for i, c in enumerate(palette[:-1]))
        attributes["style"] = (
            f"--hl:{palette[0]};--hl-stripes:linear-gradient(90deg,{stops}{palette[-1]} 0)"
        )
    return attributes


def render_highlights(body_html: str, spans: Sequence[Span], colours: dict[int, str]) -> str:
    """Return ``body_html`` with every span rendered as <mark> segments."""
    if not spans or not body_html:
        return body_html
    root = lxml.html.fragment_fromstring(f"<div>{body_html}</div>")
    boundaries = sorted({p for span in spans for p in (span.start, span.end)})
    starts = sorted(spans, key=lambda s: s.start)
    start_keys = [s.start for s in starts]
    memo: dict = {}
    for block in root.iter(*BLOCK_TAGS):
        offset = block.get("data-offset")
        if offset is None:
            continue
        position = int(offset)
        for node, attr in list(_text_slots(block)):
            value = getattr(node, attr)
            if not value:
                continue
            position = _mark_text(
                node, attr, value, position, boundaries, starts, start_keys, colours, memo
            )
    inner = etree.tostring(root, encoding="unicode", method="html")
    return inner[len("<div>") : -len("</div>")]


def _text_slots(element):
    yield element, "text"
    for child in list(element):
        yield from _text_slots(child)
        yield child, "tail"


def _mark_text(node, attr, value, position, boundaries, starts, start_keys, colours, memo) -> int:
    begin, finish = position, position + len(value)
    cuts = [begin]
    i = bisect.bisect_right(boundaries, begin)
    while i < len(boundaries) and boundaries[i] < finish:
        cuts.append(boundaries[i])
        i += 1
    cuts.append(finish)
    # Spans that could cover any piece of this text node.
    candidates = [s for s in starts[: bisect.bisect_left(start_keys, finish)] if s.end > begin]
    if not candidates:
        return finish
    pieces: list[tuple[str, list[Span]]] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a == b:
            continue
        covering = [s for s in candidates if s.start <= a and s.end >= b]
        pieces.append((value[a - begin : b - begin], covering))
    # Rebuild: the first plain piece stays as text/tail, the rest become marks
    # (each followed by the plain text up to the next mark as its tail).
    lead = []
    marks = []
    for text, covering in pieces:
        if covering:
            mark = etree.Element("mark", _mark_attributes(covering, colours, memo))
            mark.text = text
            marks.append(mark)
        elif marks:
            marks[-1].tail = (marks[-1].tail or "") + text
        else:
            lead.append(text)
    if not marks:
        return finish
    setattr(node, attr, "".join(lead) or None)
    if attr == "text":
        for index, mark in enumerate(marks):
            node.insert(index, mark)
    else:
        parent = node.getparent()
        at = parent.index(node) + 1
        for index, mark in enumerate(marks):
            parent.insert(at + index, mark)
    return finish
