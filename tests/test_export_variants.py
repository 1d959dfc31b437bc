"""What each export variant writes: the article version of each annotation, the raw
file's exact cells, the long layout's stance column, absolute links from the command,
and the links the pages offer."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from reader import services
from tests.articles import FLOODS, html_article, stored_article

pytestmark = pytest.mark.django_db

URL = "https://news.example.org/2024/floods"
CSV = "/export/annotations.csv"
JSONLD = "/export/annotations.jsonld"
FORMULA_NOTE = '=HYPERLINK("https://evil.example", "click")'
MINUS_QUOTE = FLOODS[1][:40]


def table(raw: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def download(client, url: str, params: dict) -> bytes:
    response = client.get(url, params)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.fixture
def versions(alice, make_annotation):
    """An annotation made on version 1 of an article that then changed (re-anchored to
    version 2), and one made on version 2."""
    article = services.article_import(raw=html_article(*FLOODS), user=alice, url=URL).article
    early = make_annotation(alice, article, FLOODS[2][:30], note=FORMULA_NOTE)
    changed = ("-" + FLOODS[1], FLOODS[2], FLOODS[3])
    services.article_import(raw=html_article(FLOODS[0], *changed), user=alice, url=URL)
    article.refresh_from_db()
    assert article.versions.count() == 2
    late = make_annotation(alice, article, "-" + MINUS_QUOTE, stance_names=("Russia",))
    early.refresh_from_db()
    return {"article": article, "early": early, "late": late}


def test_each_row_names_the_article_version_its_offsets_index(alice_client, versions):
    for layout in ("wide", "long"):
        rows = table(download(alice_client, CSV, {"layout": layout}))
        header = list(rows[0])
        assert header[-2] == "article_version"
        by_id = {row["annotation_id"]: row for row in rows}
        for key in ("early", "late"):
            annotation = versions[key]
            assert by_id[str(annotation.pk)]["article_version"] == str(annotation.article_version)
    assert versions["late"].article_version == 2


def test_the_jsonld_target_names_the_article_version(alice_client, versions):
    document = json.loads(download(alice_client, JSONLD, {}))
    assert document["@context"][1]["articleVersion"] == "urn:stance-reader:articleVersion"
    items = {item["id"]: item for item in document["first"]["items"]}
    late = items[f"urn:uuid:{versions['late'].pk}"]
    assert late["target"]["articleVersion"] == 2


def test_the_long_layout_names_its_stance_column_stance(alice_client, versions):
    long_header = list(table(download(alice_client, CSV, {"layout": "long"}))[0])
    wide_header = list(table(download(alice_client, CSV, {}))[0])
    assert "stance" in long_header and "stances" not in long_header
    assert "stances" in wide_header and "stance" not in wide_header
    assert long_header.index("stance") == wide_header.index("stances")


def test_raw_writes_every_cell_as_stored_and_the_default_guards_spreadsheets(
    alice_client, versions
):
    early, late = str(versions["early"].pk), str(versions["late"].pk)
    safe = {row["annotation_id"]: row for row in table(download(alice_client, CSV, {}))}
    raw = {row["annotation_id"]: row for row in table(download(alice_client, CSV, {"raw": "1"}))}
    assert safe[early]["note"] == "'" + FORMULA_NOTE
    assert raw[early]["note"] == FORMULA_NOTE
    assert safe[late]["quote"] == "'-" + MINUS_QUOTE
    assert raw[late]["quote"] == "-" + MINUS_QUOTE == versions["late"].quote
    # Nothing else differs.
    for key in (early, late):
        for column, value in raw[key].items():
            assert safe[key][column].removeprefix("'") == value, column


def test_the_command_writes_raw_cells_and_absolute_links_from_the_site_url(
    versions, tmp_path, settings, make_annotation
):
    settings.SITE_URL = "https://reader.example.org"
    unsourced = stored_article("No address", ["Words without a source address here."])
    make_annotation(versions["early"].user, unsourced, "without a source")
    out = tmp_path / "raw.csv"
    call_command("export_annotations", "--raw", "--output", str(out))
    rows = {row["article_title"]: row for row in table(out.read_bytes())}
    assert rows["No address"]["article_url"] == (
        "https://reader.example.org" + unsourced.get_absolute_url()
    )
    assert rows[FLOODS[0]]["article_url"] == URL
    notes = {row["note"] for row in rows.values()}
    assert FORMULA_NOTE in notes


def test_both_pages_offer_the_raw_file_labelled_for_analysis_not_spreadsheets(
    django_app, alice, versions
):
    article = versions["article"]
    listing = reverse("reader:article_list", kwargs={"project": article.project.slug})
    for url in (listing, article.get_absolute_url()):
        page = django_app.get(url, user=alice)
        (link,) = page.html.select('a[href*="raw=1"]')
        assert "for pandas / R — do not open in a spreadsheet" in link.get_text()
        downloaded = page.click(href=r"raw=1")
        assert downloaded.headers["Content-Disposition"].endswith('-raw.csv"')
        assert FORMULA_NOTE in {row["note"] for row in table(downloaded.body)}
