"""Statements in the Discourse Network Analyzer's event-list shape, so R scripts
written for DNA (rDNA's statement tables) read a study's coding unchanged.

DNA's columns first, then the study's own: which annotation, which aligned unit,
which layer (coder or gold), which submission round, which codebook version.
A claim with several stances is one statement per stance (a DNA statement
names one organization); a claim without a stance is one statement with an
empty organization.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from annotations.export import safe_cell, time_text

COLUMNS = [
    "statement_id", "time", "person", "organization", "concept", "agreement",
    "start_position", "stop_position", "text", "coder",
    "document_id", "document_title", "document_author", "document_source",
    "document_section", "document_type",
    "annotation_id", "unit_id", "layer", "round", "codebook_version",
]  # fmt: skip

DIALECTS = {"csv": ",", "dna": ";"}


@dataclass(frozen=True)
class Statement:
    annotation_id: str
    start: int
    end: int
    quote: str
    stances: tuple[str, ...]
    note: str
    coder: str
    document_id: int | str
    document_title: str
    document_author: str
    document_source: str
    published: dt.datetime | None
    layer: str = "coder"
    unit_id: int | str | None = None
    round: int | None = None
    codebook_version: int | None = None
    document_section: str = ""
    document_type: str = "news"


class _Echo:
    def write(self, value: str) -> str:
        return value


def statement_rows(
    statements: Iterable[Statement], *, note_as_concept: bool = False
) -> Iterator[list]:
    number = 0
    for st in statements:
        for stance in st.stances or ("",):
            number += 1
            yield [
                number,
                time_text(st.published, "seconds") if st.published else "",
                "",
                stance,
                st.note if note_as_concept else "",
                "",
                st.start,
                st.end,
                st.quote,
                st.coder,
                st.document_id,
                st.document_title,
                st.document_author,
                st.document_source,
                st.document_section,
                st.document_type,
                st.annotation_id,
                "" if st.unit_id is None else st.unit_id,
                st.layer,
                "" if st.round is None else st.round,
                "" if st.codebook_version is None else st.codebook_version,
            ]


def statements_csv(
    statements: Iterable[Statement],
    *,
    dialect: str = "csv",
    raw: bool = False,
    note_as_concept: bool = False,
) -> Iterator[str]:
    """Lines of the statements file; `dialect="dna"` separates with `;`. Unless `raw`,
    text cells that a spreadsheet would run as a formula are prefixed with `'`."""
    writer = csv.writer(_Echo(), delimiter=DIALECTS[dialect], lineterminator="\r\n")
    yield writer.writerow(COLUMNS)
    for row in statement_rows(statements, note_as_concept=note_as_concept):
        if not raw:
            row = [safe_cell(v) if isinstance(v, str) else v for v in row]
        yield writer.writerow(row)
