"""Server-side highlights: the article body with annotations as <mark> segments.

Marks never cross an element boundary: every text node of the body is cut at
each annotation boundary, and each piece covered by at least one annotation
becomes one <mark>. A mark names no annotation: it carries its own place in the
canonical text (``data-start``/``data-end``), how many annotations cover it
(``data-n``) and a class for the combination of stances that cover it. Which
annotations those are follows from the cards, which carry their offsets once.
So the page grows with the number of annotations, not with the square of their
overlaps, and the colours come from one CSS rule per stance combination
(``highlight_css``), not from a gradient written into every segment.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import lxml.html
from django.utils.html import escape
from lxml import etree

from reader.importing.sanitize import BLOCK_TAGS

UNDERLINE_PX = 3


@dataclass(frozen=True)
class Span:
    id: str
    start: int
    end: int
    stance_ids: tuple[int, ...]
    mine: bool


@dataclass(frozen=True)
class _Cover:
    """What covers one stretch between two consecutive annotation boundaries."""

    classes: str
    n: int


def combination_class(stance_ids: Sequence[int]) -> str:
    return "s-" + "-".join(map(str, stance_ids))


def _layout(
    spans: Sequence[Span], colours: Mapping[int, str]
) -> tuple[list[int], list[_Cover | None], set[tuple[int, ...]]]:
    """Boundaries, the cover of each stretch between them, and the stance combinations used.

    One sweep over the boundaries: each annotation is added where it starts and
    removed where it ends, so the work is linear in the annotations (plus a sort).
    """
    order = {pk: i for i, pk in enumerate(colours)}
    changes: dict[int, list[tuple[int, Span]]] = defaultdict(list)
    for span in spans:
        changes[span.start].append((1, span))
        changes[span.end].append((-1, span))
    boundaries = sorted(changes)
    covers: list[_Cover | None] = []
    combinations: set[tuple[int, ...]] = set()
    stances: Counter[int] = Counter()
    mine = others = 0
    memo: dict[tuple, str] = {}
    for position in boundaries[:-1]:
        for delta, span in changes[position]:
            if span.mine:
                mine += delta
            else:
                others += delta
            for stance in set(span.stance_ids):
                if stance in order:
                    stances[stance] += delta
        n = mine + others
        if not n:
            covers.append(None)
            continue
        combination = tuple(sorted((s for s, c in stances.items() if c > 0), key=order.get))
        key = (combination, mine > 0, others > 0, n > 1)
        classes = memo.get(key)
        if classes is None:
            names = ["hl"]
            if mine:
                names.append("hl-mine")
            if others:
                names.append("hl-others")
            if n > 1:
                names.append("hl-overlap")
            if combination:
                names.append(combination_class(combination))
                combinations.add(combination)
            classes = memo[key] = " ".join(names)
        covers.append(_Cover(classes, n))
    return boundaries, covers, combinations


def highlight_css(combinations, colours: Mapping[int, str]) -> str:
    """One rule per stance combination: a tint of the first stance and one
    underline per stance, stacked in codebook order (the first on top)."""
    rules = []
    for combination in sorted(combinations):
        palette = [colours[s] for s in combination if s in colours]
        if not palette:
            continue
        layers = ",".join(
            f"linear-gradient(90deg,{escape(c)} var(--dash),transparent 0)" for c in palette
        )
        positions = ",".join(
            f"0 calc(100% - {(len(palette) - 1 - i) * UNDERLINE_PX}px)" for i in range(len(palette))
        )
        rules.append(
            f"#article-body mark.{combination_class(combination)}"
            f"{{--hl:{escape(palette[0])};background-image:{layers};background-position:{positions}}}"
        )
    return "\n".join(rules)


def stance_combinations(spans: Sequence[Span], colours: Mapping[int, str]) -> set[tuple[int, ...]]:
    return _layout(spans, colours)[2] if spans else set()


def render_highlights(body_html: str, spans: Sequence[Span], colours: Mapping[int, str]) -> str:
    """Return ``body_html`` with every span rendered as <mark> segments.

    ``colours`` maps stance ids to colours in codebook order: that order is the
    order of the stacked underlines.
    """
    if not spans or not body_html:
        return body_html
    root = lxml.html.fragment_fromstring(f"<div>{body_html}</div>")
    boundaries, covers, _ = _layout(spans, colours)
    for block in root.iter(*BLOCK_TAGS):
        offset = block.get("data-offset")
        if offset is None:
            continue
        position = int(offset)
        for node, attr in list(_text_slots(block)):
            value = getattr(node, attr)
            if not value:
                continue
            position = _mark_text(node, attr, value, position, boundaries, covers)
    inner = etree.tostring(root, encoding="unicode", method="html")
    return inner[len("<div>") : -len("</div>")]


def _text_slots(element):
    yield element, "text"
    for child in list(element):
        yield from _text_slots(child)
        yield child, "tail"


def _mark_text(node, attr, value, position, boundaries, covers) -> int:
    begin, finish = position, position + len(value)
    i = bisect.bisect_right(boundaries, begin)
    if i == 0 and (not boundaries or boundaries[0] >= finish):
        return finish
    cuts = [begin]
    while i < len(boundaries) and boundaries[i] < finish:
        cuts.append(boundaries[i])
        i += 1
    cuts.append(finish)
    # Rebuild: the first plain piece stays as text/tail, the rest become marks
    # (each followed by the plain text up to the next mark as its tail).
    lead = []
    marks = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a == b:
            continue
        text = value[a - begin : b - begin]
        k = bisect.bisect_right(boundaries, a) - 1
        cover = covers[k] if 0 <= k < len(covers) else None
        if cover is not None:
            mark = etree.Element(
                "mark",
                {
                    "class": cover.classes,
                    "data-start": str(a),
                    "data-end": str(b),
                    "data-n": str(cover.n),
                },
            )
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
