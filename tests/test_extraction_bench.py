"""benchmarks.extraction's --ablate rows for the pipeline's choices of reading: each
row reads the pages again with one choice turned off, and puts the choice back."""

from __future__ import annotations

from benchmarks import extraction
from benchmarks import extraction_sets as sets
from reader.importing import html as html_module

POST = [
    "The lanterns went up along the old quay at midnight, and the whole town came out to "
    "watch them drift over the water before the last concert of the festival.",
    "Organisers said that more than two thousand lanterns had been handed out on the "
    "bridge, twice as many as last year.",
]
LETTER = (
    "Letter {k} from a reader: we walked along the river every morning this summer, and the "
    "water was higher than anyone in the village could remember, so the ferry stopped "
    "running for a week and the children were delighted to stay at home."
)


def test_turning_off_the_fallback_choice_reads_the_letters_beside_the_post(tmp_path):
    """A short post beside a longer column of letters: with trafilatura's fallbacks on
    every page, justext takes the letters, so the row for that choice scores lower than
    the pipeline; the bare-dump row changes nothing here. Both choices are back after."""
    page = (
        "<!doctype html><html><head><title>Lanterns on the quay</title></head><body>"
        '<div class="col-a"><h1>Lanterns on the quay</h1><div class="entry">'
        + "".join(f'<p>{p} <a href="/more">More</a></p>' for p in POST)
        + '</div></div><div class="col-b">'
        + "".join(f"<div><p>{LETTER.format(k=k)}</p></div>" for k in range(8))
        + "</div></body></html>"
    )
    pages = {"post": page}
    truth = {"post": {"articleBody": "\n".join(POST), "url": ""}}
    bench = sets.BenchSet("synthetic", tmp_path, tmp_path, titled_truth=False)
    main_content, ratio = html_module._main_content, html_module.BARE_DUMP_RATIO

    rows = extraction.reading_rows(pages, truth, bench)

    _, run = extraction.pipeline_extractor()
    found = run(page, "")
    base = sets.score(truth, {"post": sets.scored(bench, found.title, found.subtitle, found.body)})
    assert base["f1"] > 0.9
    assert rows["reading: fallbacks on bare only"] < base["f1"] - 0.3
    assert rows["reading: bare dump -> text rules"] == base["f1"]
    assert (html_module._main_content, html_module.BARE_DUMP_RATIO) == (main_content, ratio)
