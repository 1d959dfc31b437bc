from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

from studies.agreement import Span
from studies.charts import coder_strip, heatmap, progress, stance_counts

SVG = "{http://www.w3.org/2000/svg}"
COLOURS = {"Russia": "#d62728", "United States": "#1f77b4"}


def parsed(chart):
    root = ET.fromstring(str(chart.svg))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert root.find(f"{SVG}title").text == chart.title
    return root


def csv_rows(chart):
    return list(csv.reader(io.StringIO(chart.csv())))


def test_strip_draws_each_annotation_in_its_stance_colour_and_escapes_labels():
    chart = coder_strip(
        1000,
        [
            ("<ann>", [Span("ann", 0, 100, frozenset({"Russia"}))]),
            ("bob", [Span("bob", 500, 600, frozenset({"United States"})), Span("bob", 700, 710)]),
            ("gold", []),
        ],
        COLOURS,
    )
    root = parsed(chart)
    fills = [r.get("fill") for r in root.iter(f"{SVG}rect") if r.get("fill") != "none"]
    assert fills == ["#d62728", "#1f77b4", "#888888"]
    assert "&lt;ann&gt;" in str(chart.svg)
    assert csv_rows(chart) == [
        ["coder", "start", "end", "stances"],
        ["<ann>", "0", "100", "Russia"],
        ["bob", "500", "600", "United States"],
        ["bob", "700", "710", ""],
    ]
    # the bar of the annotation at 500-600 starts half way along the text
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == "#1f77b4"]
    assert float(bars[0].get("x")) == 120 + 0.5 * (760 - 120 - 10)


def test_stance_counts_by_source_table_and_csv():
    chart = stance_counts(
        {"Reuters": {"Russia": 3, "United States": 1}, "TASS": {"Russia": 5}},
        ["Russia", "United States"],
        COLOURS,
        slug="by-source",
        title="Stances by source",
        group_name="source",
    )
    parsed(chart)
    assert chart.header == ["source", "Russia", "United States", "total"]
    assert chart.rows == [["Reuters", 3, 1, 4], ["TASS", 5, 0, 5]]
    assert csv_rows(chart)[2] == ["TASS", "5", "0", "5"]


def test_heatmap_is_symmetric_and_marks_undefined_cells():
    chart = heatmap(["ann", "bob", "cyd"], {"ann|bob": 0.8, "cyd|ann": None, "bob|cyd": 0.25})
    root = parsed(chart)
    assert chart.rows == [
        ["ann", 1.0, 0.8, None],
        ["bob", 0.8, 1.0, 0.25],
        ["cyd", None, 0.25, 1.0],
    ]
    assert "#dddddd" in [r.get("fill") for r in root.iter(f"{SVG}rect")]
    assert csv_rows(chart)[1] == ["ann", "1.0", "0.8", ""]


def test_progress_counts():
    chart = progress([("ann", 3, 1, 0), ("bob", 0, 0, 4)])
    root = parsed(chart)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "3/4" in texts and "0/4" in texts
    assert csv_rows(chart)[0] == ["coder", "submitted", "working", "not_opened"]
