"""Input → detect kind → extract → sanitize → normalize. Storing is reader.services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from . import sanitize
from .html_cleanup import text_of
from .types import BODY, CAPTION, CHROME, Extracted, ImportFailed

TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")


def detect_kind(text: str, *, filename: str = "", content_type: str = "") -> str:
    """ "html" or "text": by file name, then content type, then content."""
    from .decode import looks_like_html

    name = filename.lower()
    if name.endswith(HTML_SUFFIXES):
        return "html"
    if name.endswith(TEXT_SUFFIXES):
        return "text"
    ctype = content_type.split(";")[0].strip().lower()
    if ctype in ("text/html", "application/xhtml+xml"):
        return "html"
    if ctype == "text/plain":
        return "text"
    return "html" if looks_like_html(text) else "text"


def extract(
    text: str,
    *,
    kind: str,
    url: str = "",
    recurring: Callable[[str], bool] | None = None,
) -> Extracted:
    if kind == "html":
        from .html import extract_html

        return extract_html(text, url=url)
    from .text import extract_text

    return extract_text(text, source_url=url, recurring=recurring)


def _report_text(segment_html: str) -> str:
    """Readable text of a segment for the cleaning report. It is shown escaped,
    like any other text, so a cheap tag strip is enough (bleach is not needed)."""
    return text_of(segment_html)


@dataclass
class Prepared:
    """A cleaned article, ready to store or to preview."""

    extracted: Extracted
    body_html: str
    text: str
    report: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        return sanitize.plain_text(self.extracted.title)

    @property
    def subtitle(self) -> str:
        return sanitize.plain_text(self.extracted.subtitle)

    @property
    def byline(self) -> str:
        return sanitize.plain_text(self.extracted.byline)

    @property
    def published(self) -> dt.datetime | None:
        return self.extracted.published

    @property
    def source_name(self) -> str:
        return sanitize.plain_text(self.extracted.source_name)

    @property
    def source_url(self) -> str:
        return self.extracted.source_url or ""

    @property
    def dropped(self) -> list[dict]:
        return [s for s in self.report["segments"] if s["role"] == CHROME]

    @property
    def dropped_by_rule(self) -> list[tuple[str, int]]:
        """How many blocks each rule dropped, most first: the preview's summary."""
        counts: dict[str, int] = {}
        for segment in self.dropped:
            counts[segment["rule"] or "dropped"] = counts.get(segment["rule"] or "dropped", 0) + 1
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def build(extracted: Extracted, *, restore: Collection[int] = ()) -> Prepared:
    """Sanitize the kept segments into the body; ``restore`` puts dropped ones back."""
    restored = {i for i in restore if 0 <= i < len(extracted.segments)}
    blocks: list[tuple[str, str]] = []
    report_segments = []
    for index, segment in enumerate(extracted.segments):
        role, kind = segment.role, segment.kind
        if index in restored and role == CHROME:
            role = BODY
            kind = "p" if kind == "figcaption" else kind
        if role in (BODY, CAPTION):
            blocks.append(("figcaption" if role == CAPTION else kind, segment.html))
        report_segments.append(
            {
                "index": index,
                "role": segment.role,
                "rule": segment.rule,
                "confidence": segment.confidence,
                "kind": segment.kind,
                "text": _report_text(segment.html),
                "restored": index in restored and segment.role == CHROME,
            }
        )
    body = sanitize.build_body(blocks)
    if not body.text.strip():
        raise ImportFailed(
            "No article text was found in this input: everything in it looked like site "
            "navigation or page furniture."
        )
    report = {
        "extractor": extracted.extractor,
        "segments": report_segments,
        "dropped": sum(1 for s in report_segments if s["role"] == CHROME and not s["restored"]),
        "restored": sorted(i for i in restored if extracted.segments[i].role == CHROME),
    }
    return Prepared(extracted=extracted, body_html=body.html, text=body.text, report=report)


def prepare_text(
    text: str,
    *,
    kind: str,
    url: str = "",
    restore: Collection[int] = (),
    recurring: Callable[[str], bool] | None = None,
) -> Prepared:
    return build(extract(text, kind=kind, url=url, recurring=recurring), restore=restore)


def prepare_html(html: str, *, url: str = "") -> Prepared:
    return prepare_text(html, kind="html", url=url)
