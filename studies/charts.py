"""The study's charts as server-rendered SVG: no chart script in the browser.

Each chart carries a <title> and <desc> (referenced by aria-labelledby), the
numbers it draws as a table (the page shows it as the screen-reader fallback)
and the same numbers as CSV.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FALLBACK_COLOUR = "#888888"
GOLD = "gold"
_ids = count(1)


@dataclass
class Chart:
    slug: str
    title: str
    description: str
    svg: SafeString
    header: list[str]
    rows: list[list] = field(default_factory=list)

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.header)
        writer.writerows(["" if v is None else v for v in row] for row in self.rows)
        return out.getvalue()


def _svg(
    slug: str, title: str, description: str, width: int, height: int, body: list[str]
) -> SafeString:
    n = next(_ids)
    tid, did = f"chart-{slug}-{n}-title", f"chart-{slug}-{n}-desc"
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{escape(slug)}" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{tid} {did}">'
        f'<title id="{tid}">{escape(title)}</title><desc id="{did}">{escape(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _text(
    x: float, y: float, label: str, anchor: str = "start", size: int = 12, extra: str = ""
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="currentColor"{extra}>{escape(label)}</text>'
    )


def _colour(colours: Mapping[str, str], stances: Sequence[str] | frozenset) -> str:
    for s in sorted(stances):
        if s in colours:
            return colours[s]
    return FALLBACK_COLOUR


def coder_strip(
    length: int,
    layers: Sequence[tuple[str, Sequence]],
    colours: Mapping[str, str],
    title: str = "Each coder's annotations along the article",
) -> Chart:
    """One row per coder (and gold): the text's length as a bar, each annotation
    drawn where it lies in the stance's colour. `layers` is (label, spans) with
    spans having start, end, stances."""
    label_w, width, row_h, top = 120, 760, 22, 8
    bar_w = width - label_w - 10
    height = top + row_h * max(1, len(layers)) + 20
    body = []
    rows = []
    scale = bar_w / max(1, length)
    for i, (label, spans) in enumerate(layers):
        y = top + i * row_h
        body.append(_text(label_w - 6, y + 14, label, "end"))
        body.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="{row_h - 6}" '
            f'fill="none" stroke="currentColor" stroke-opacity="0.3"/>'
        )
        for span in sorted(spans, key=lambda s: (s.start, s.end)):
            stances = sorted(span.stances)
            x = label_w + span.start * scale
            w = max(1.5, (span.end - span.start) * scale)
            tip = f"{label}: {span.start}–{span.end} {', '.join(stances) or 'no stance'}"
            body.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" '
                f'fill="{_colour(colours, stances)}" fill-opacity="0.85"><title>{escape(tip)}</title></rect>'
            )
            rows.append([label, span.start, span.end, "; ".join(stances)])
    body.append(_text(label_w, height - 4, "0", size=10))
    body.append(_text(label_w + bar_w, height - 4, f"{length} characters", "end", size=10))
    desc = (
        f"{len(layers)} rows over a text of {length} characters; "
        f"{len(rows)} annotations drawn at their positions, coloured by stance."
    )
    svg = _svg("strip", title, desc, width, height, body)
    return Chart("strip", title, desc, svg, ["coder", "start", "end", "stances"], rows)


def stance_counts(
    groups: Mapping[str, Mapping[str, int]],
    stances: Sequence[str],
    colours: Mapping[str, str],
    *,
    slug: str,
    title: str,
    group_name: str,
) -> Chart:
    """Horizontal stacked bars: one bar per group (a source, a month), one segment per stance."""
    label_w, width, row_h, top = 160, 760, 22, 30
    bar_w = width - label_w - 60
    names = list(groups)
    height = top + row_h * max(1, len(names)) + 10
    biggest = max((sum(groups[g].values()) for g in names), default=0) or 1
    body = []
    for k, stance in enumerate(stances):  # legend
        x = label_w + k * 150
        body.append(
            f'<rect x="{x}" y="6" width="12" height="12" fill="{colours.get(stance, FALLBACK_COLOUR)}"/>'
        )
        body.append(_text(x + 16, 16, stance, size=11))
    rows = []
    for i, name in enumerate(names):
        y = top + i * row_h
        body.append(_text(label_w - 6, y + 14, name, "end"))
        x = float(label_w)
        for stance in stances:
            n = groups[name].get(stance, 0)
            if n:
                w = n / biggest * bar_w
                body.append(
                    f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" '
                    f'fill="{colours.get(stance, FALLBACK_COLOUR)}"><title>{escape(f"{name}: {stance} {n}")}</title></rect>'
                )
                x += w
        total = sum(groups[name].values())
        body.append(_text(x + 4, y + 14, str(total), size=11))
        rows.append([name, *[groups[name].get(s, 0) for s in stances], total])
    desc = f"Annotations per stance for each {group_name}: {len(names)} bars, longest {biggest}."
    svg = _svg(slug, title, desc, width, height, body)
    return Chart(slug, title, desc, svg, [group_name, *stances, "total"], rows)


def _heat(value: float | None) -> str:
    if value is None:
        return "#dddddd"
    v = max(0.0, min(1.0, value))
    # white (0) to a deep blue (1)
    r, g, b = (int(255 + (c - 255) * v) for c in (33, 102, 172))
    return f"#{r:02x}{g:02x}{b:02x}"


def heatmap(
    coders: Sequence[str],
    values: Mapping[str, float | None],
    *,
    title: str = "Coder × coder agreement",
    measure: str = "character alpha (any claim)",
) -> Chart:
    """Symmetric matrix; values keyed "a|b" (either order)."""
    cell, label_w, top = 56, 110, 90
    n = len(coders)
    width = label_w + cell * n + 10
    height = top + cell * n + 10
    body = []
    rows = []
    for j, c in enumerate(coders):
        x = label_w + j * cell + cell / 2
        body.append(
            _text(x, top - 8, c, "start", 11, f' transform="rotate(-45 {x:.1f} {top - 8})"')
        )
    for i, a in enumerate(coders):
        y = top + i * cell
        body.append(_text(label_w - 6, y + cell / 2 + 4, a, "end", 11))
        row = [a]
        for j, b in enumerate(coders):
            value = 1.0 if a == b else values.get(f"{a}|{b}", values.get(f"{b}|{a}"))
            shown = "–" if value is None else f"{value:.2f}"
            fill = _heat(value)
            ink = "#ffffff" if value is not None and value > 0.6 else "#111111"
            body.append(
                f'<rect x="{label_w + j * cell}" y="{y}" width="{cell - 2}" height="{cell - 2}" fill="{fill}">'
                f"<title>{escape(f'{a} × {b}: {shown}')}</title></rect>"
                f'<text x="{label_w + j * cell + cell / 2 - 1:.1f}" y="{y + cell / 2 + 4:.1f}" '
                f'font-size="12" text-anchor="middle" fill="{ink}">{escape(shown)}</text>'
            )
            row.append(None if value is None else round(value, 4))
        rows.append(row)
    desc = f"{measure} for each pair of {n} coders; darker is higher, grey is undefined."
    svg = _svg("heatmap", title, desc, width, height, body)
    return Chart("heatmap", title, desc, svg, ["coder", *coders], rows)


PROGRESS_COLOURS = {"submitted": "#2b8a3e", "working": "#e8a317", "not opened": "#c8c8c8"}


def progress(
    rows_in: Sequence[tuple[str, int, int, int]], *, title: str = "Coders' progress"
) -> Chart:
    """(coder, submitted, working, not opened) as stacked bars of assigned articles."""
    label_w, width, row_h, top = 120, 760, 22, 30
    bar_w = width - label_w - 60
    height = top + row_h * max(1, len(rows_in)) + 10
    biggest = max((sum(r[1:]) for r in rows_in), default=0) or 1
    body = []
    for k, (name, colour) in enumerate(PROGRESS_COLOURS.items()):
        body.append(f'<rect x="{label_w + k * 130}" y="6" width="12" height="12" fill="{colour}"/>')
        body.append(_text(label_w + k * 130 + 16, 16, name, size=11))
    rows = []
    for i, (coder, submitted, working, unopened) in enumerate(rows_in):
        y = top + i * row_h
        body.append(_text(label_w - 6, y + 14, coder, "end"))
        x = float(label_w)
        for (state, colour), n in zip(
            PROGRESS_COLOURS.items(), (submitted, working, unopened), strict=True
        ):
            if n:
                w = n / biggest * bar_w
                body.append(
                    f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" fill="{colour}">'
                    f"<title>{escape(f'{coder}: {state} {n}')}</title></rect>"
                )
                x += w
        body.append(_text(x + 4, y + 14, f"{submitted}/{submitted + working + unopened}", size=11))
        rows.append([coder, submitted, working, unopened])
    desc = f"Assigned articles per coder by state (submitted, working, not opened); {len(rows)} coders."
    svg = _svg("progress", title, desc, width, height, body)
    return Chart(
        "progress", title, desc, svg, ["coder", "submitted", "working", "not_opened"], rows
    )
