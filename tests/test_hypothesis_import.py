"""Hypothesis files (the API's search response and single annotations) imported, and
the file-level guarantees shared with W3C files: ids, dates, bad input."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from annotations import importing
from annotations.models import Annotation
from tests.articles import FLOODS, stored_article

pytestmark = pytest.mark.django_db

URL = "https://www.news.example/floods/"


@pytest.fixture
def floods(db):
    return stored_article(FLOODS[0], list(FLOODS[1:]), "https://news.example/floods")


def row(n: int, exact: str, *, tags=(), text="", uri=URL, read=("group:__world__",), **extra):
    """A row as Hypothesis's GET /api/search returns it."""
    return {
        "id": f"hyp{n:07d}AbCdEf",
        "created": "2024-03-01T12:00:00.000000+00:00",
        "updated": "2024-03-02T12:00:00.000000+00:00",
        "user": "acct:carol@hypothes.is",
        "uri": uri,
        "text": text,
        "tags": list(tags),
        "group": "__world__",
        "permissions": {"read": list(read), "admin": ["acct:carol@hypothes.is"]},
        "target": [
            {
                "source": uri,
                "selector": [
                    {"type": "RangeSelector", "startContainer": "/div[1]/p[2]", "startOffset": 0,
                     "endContainer": "/div[1]/p[2]", "endOffset": 10},
                    {"type": "TextPositionSelector", "start": 5000 + n, "end": 5000 + n + len(exact)},
                    {"type": "TextQuoteSelector", "exact": exact, "prefix": "", "suffix": ""},
                ],
            }
        ],
        "document": {"title": ["Floods"]},
        "links": {"html": f"https://hypothes.is/a/hyp{n}"},
        **extra,
    }  # fmt: skip


def search(*rows) -> dict:
    return {"total": len(rows), "rows": list(rows)}


def test_search_response_is_imported_with_tags_notes_visibility_and_times(floods, alice, stances):
    document = search(
        row(1, "spend more on flood defences", tags=["RUSSIA", "floods"], text="*why* now?"),
        row(2, "new walls and pumps", read=("acct:carol@hypothes.is",),
            uri="http://news.example/floods?utm_source=x&fbclid=1#annotations:abc"),
        row(3, "", references=["hyp0000001AbCdEf"]),
    )  # fmt: skip
    report = importing.import_collection(document, importer=alice)
    assert (report.created, report.replies, dict(report.unknown_stances)) == (2, 1, {"floods": 1})
    one = Annotation.objects.get(quote="spend more on flood defences")
    assert [s.name for s in one.stances.all()] == ["Russia"]
    assert one.note == "*why* now?" and one.visibility == "shared" and one.user == alice
    assert one.source_modified.isoformat() == "2024-03-02T12:00:00+00:00"
    assert one.updated.year > 2024  # the row's own clock is the server's
    assert Annotation.objects.get(quote="new walls and pumps").visibility == "private"
    again = importing.import_collection(document, importer=alice)
    assert (again.created, again.already_present) == (0, 2)


def test_unknown_tags_can_be_mapped_or_kept_in_the_note(floods, alice, stances):
    document = search(row(1, "spend more on flood defences", tags=["fbi-letter", "misc"]))
    report = importing.import_collection(
        document, importer=alice, tag_map={"fbi-letter": "United States"}, tags_in_note=True
    )
    (made,) = Annotation.objects.all()
    assert [s.name for s in made.stances.all()] == ["United States"]
    assert made.note == "Tags: misc" and dict(report.unknown_stances) == {"misc": 1}


def test_pages_not_here_are_reported_by_address(floods, alice):
    report = importing.import_collection(
        search(row(1, "spend more", uri="https://elsewhere.example/x")), importer=alice
    )
    assert report.missing_pages == ["https://elsewhere.example/x"] and report.created == 0


def test_a_quote_across_two_paragraphs_is_placed_across_two_blocks(floods, alice):
    exact = "along the river.Officials said the money"
    report = importing.import_collection(search(row(1, exact)), importer=alice)
    (made,) = Annotation.objects.all()
    assert report.created == 1 and "\n" in made.quote
    assert made.quote.replace("\n", "") == exact


def test_a_date_in_the_future_is_refused_and_the_rest_imported(floods, alice):
    bad = row(2, "new walls and pumps", updated="2099-01-01T00:00:00Z")
    report = importing.import_collection(
        search(row(1, "spend more on flood defences"), bad), importer=alice
    )
    assert report.created == 1 and "in the future" in report.problems[0]


def test_an_imported_2099_modified_does_not_freeze_the_change_token(
    floods, alice, bob, make_annotation
):
    from annotations.reading import change_token

    w3c = {"type": "Annotation", "id": "urn:uuid:11111111-1111-4111-8111-111111111111",
           "modified": "2099-01-01T00:00:00Z", "visibility": "shared",
           "target": {"source": "https://news.example/floods",
                      "selector": {"type": "TextQuoteSelector", "exact": "new walls and pumps"}}}  # fmt: skip
    report = importing.import_collection(w3c, importer=alice)
    assert "in the future" in report.problems[0]
    w3c["modified"] = "2026-01-01T00:00:00Z"
    importing.import_collection(w3c, importer=alice)
    before = change_token(floods, bob)
    make_annotation(alice, floods, "three towns")
    assert change_token(floods, bob) != before


@pytest.mark.parametrize("raw", [b"[" * 200_000, b'{"total": ' + b"9" * 5_000 + b', "rows": []}'])
def test_hostile_files_are_a_message(raw):
    with pytest.raises(importing.ImportError_):
        importing.parse_document(raw)


def test_a_bad_target_address_is_reported_and_the_good_items_imported(floods, alice):
    report = importing.import_collection(
        search(row(1, "spend more on flood defences"), row(2, "new walls", uri="http://[::1/")),
        importer=alice,
    )
    assert report.created == 1 and report.no_article == {"http://[::1/": 1}


def test_address_key_ignores_what_does_not_name_the_page():
    same = {
        importing.address_key(u)
        for u in (
            "https://www.News.example/a/b/",
            "http://news.example/a/b#annotations:xyz",
            "https://news.example/a/b?utm_source=t&gclid=9",
        )
    }
    assert same == {"news.example/a/b"}


def test_command_maps_tags_and_imports_a_thousand_rows(floods, alice, stances, tmp_path):
    quotes = ["spend more on flood defences", "new walls and pumps", "three towns"]
    rows = [row(n, quotes[n % 3], tags=["x"]) for n in range(1_000)]
    path = tmp_path / "hypothesis.json"
    path.write_text(json.dumps(search(*rows)))
    call_command(
        "import_annotations", str(path), user="alice", map_tag=["x=Russia"], no_progress=True
    )
    assert Annotation.objects.filter(stances__name="Russia").count() == 1_000


def test_reading_page_upload_takes_one_hypothesis_annotation_and_maps_its_tag(
    django_app, floods, alice, stances
):
    """The upload form as rendered on the reading page: a single annotation (as
    GET /api/annotations/{id} gives it), its unknown tag mapped in the form."""
    from django.urls import reverse
    from webtest import Upload

    page = django_app.get(floods.get_absolute_url(), user=alice)
    form = next(f for f in page.forms.values() if f.action == reverse("project_export:annotations_import", args=["default"]))
    single = row(1, "new walls and pumps", tags=["fbi-letter", "Syrian Opposition"], text="hm")
    form["file"] = Upload("annotation.json", json.dumps(single).encode(), "application/json")
    form["tag_map"] = "FBI-letter = United States"
    shown = form.submit().follow()
    assert "annotation.json: 1 annotation imported." in shown.text
    made = Annotation.objects.get()
    assert made.article == floods and made.note == "hm" and made.visibility == "shared"
    # Its position counts the web page's characters: a hint, not a sign the text moved.
    assert made.anchor_status == Annotation.AnchorStatus.ANCHORED
    assert sorted(s.name for s in made.stances.all()) == ["Syrian opposition", "United States"]
