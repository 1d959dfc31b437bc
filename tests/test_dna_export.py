from __future__ import annotations

import csv
import datetime as dt
import io

from studies.dna import COLUMNS, Statement, statements_csv


def statement(**extra):
    values = dict(
        annotation_id="a1",
        start=10,
        end=20,
        quote="Moscow said",
        stances=("Russia", "Syrian opposition"),
        note="=claim",
        coder="ann",
        document_id=7,
        document_title="Talks; resumed",
        document_author="R. Writer",
        document_source="Reuters",
        published=dt.datetime(2016, 2, 3, 12, 30, tzinfo=dt.UTC),
        unit_id=4,
        round=1,
        codebook_version=2,
    )
    values.update(extra)
    return Statement(**values)


def read(lines, delimiter=","):
    return list(csv.reader(io.StringIO("".join(lines)), delimiter=delimiter))


def test_columns_are_dna_event_list_then_the_studys_own():
    rows = read(statements_csv([statement()]))
    assert rows[0] == COLUMNS
    assert rows[0][:16] == [
        "statement_id", "time", "person", "organization", "concept", "agreement",
        "start_position", "stop_position", "text", "coder", "document_id", "document_title",
        "document_author", "document_source", "document_section", "document_type",
    ]  # fmt: skip


def test_one_statement_per_stance_with_the_stance_as_organization():
    rows = read(statements_csv([statement(), statement(annotation_id="a2", stances=())]))
    assert [r[0] for r in rows[1:]] == ["1", "2", "3"]
    assert [r[3] for r in rows[1:]] == ["Russia", "Syrian opposition", ""]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["time"] == "2016-02-03T12:30:00Z"
    assert first["concept"] == ""  # the note is not a concept unless the project maps it
    assert (first["start_position"], first["stop_position"], first["text"]) == (
        "10",
        "20",
        "Moscow said",
    )
    assert (first["unit_id"], first["layer"], first["round"], first["codebook_version"]) == (
        "4",
        "coder",
        "1",
        "2",
    )


def test_note_as_concept_and_formula_cells_made_safe_unless_raw():
    safe = read(statements_csv([statement()], note_as_concept=True))
    assert safe[1][4] == "'=claim"
    raw = read(statements_csv([statement()], note_as_concept=True, raw=True))
    assert raw[1][4] == "=claim"


def test_dna_variant_is_semicolon_separated():
    text = "".join(statements_csv([statement()], dialect="dna"))
    assert text.splitlines()[0].startswith("statement_id;time;person;organization")
    rows = read([text], delimiter=";")
    assert rows[1][11] == "Talks; resumed"
