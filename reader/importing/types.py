"""Data that flows through the import pipeline, shared by every extractor."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Roles a segment of the input can play. Only "body" and "caption" segments
# become blocks of the article; the metadata roles fill Article fields;
# "chrome" segments are dropped and listed in the cleaning report.
BODY = "body"
CAPTION = "caption"
CHROME = "chrome"
METADATA_ROLES = ("title", "subtitle", "byline", "date", "credit")


@dataclass
class Segment:
    """One block of the input, in input order, with what the extractor made of it."""

    html: str  # inline HTML of the block; for plain text, the escaped text
    kind: str = "p"  # block tag when kept: p, h2, h3, h4, blockquote, li, figcaption
    role: str = BODY  # BODY, CAPTION, CHROME or one of METADATA_ROLES
    rule: str = ""  # name of the rule that decided the role ("" for plain body)
    confidence: float | None = None  # the line classifier's certainty, when it decided

    @property
    def kept(self) -> bool:
        return self.role in (BODY, CAPTION)


@dataclass
class Extracted:
    """What an extractor found in one input, before sanitizing and storing."""

    segments: list[Segment] = field(default_factory=list)
    title: str = ""
    subtitle: str = ""
    byline: str = ""
    published: dt.datetime | None = None  # aware, UTC
    source_name: str = ""
    source_url: str = ""
    extractor: str = ""  # "text-rules", "trafilatura", …


class ImportFailed(Exception):
    """An input that cannot become an article; the message is shown to a person."""
