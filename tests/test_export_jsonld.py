from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from annotations import importing, jsonld
from annotations.models import Annotation
from annotations.services import annotation_create
from reader.models import Article
from tests.articles import stored_article

SEED_EXPECTED = (
    Path(__file__).resolve().parents[2] / "shared/samples/000_cec687c1fc65c03c.expected.json"
)
URL = "/export/annotations.jsonld"
IMPORT_URL = "/export/import-annotations/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(db, alice) -> Article:
    """The seed article's expected text, stored directly (no import pipeline needed)."""
    expected = json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))
    return stored_article(
        expected["title"], expected["body_paragraphs"], "https://news.example/seed"
    )


@pytest.fixture
def annotated(article, alice, bob, make_annotation):
    return {
        "two": make_annotation(
            alice, article, "Sergey Lavrov", stance_names=("Russia", "United States"), note="Why?"
        ),
        "plain": make_annotation(alice, article, "Ban Ki-Moon"),
        "private": make_annotation(alice, article, "Montreux", visibility="private"),
        "bob": make_annotation(bob, article, "Switzerland", stance_names=("Syrian opposition",)),
    }


def export(client, **params) -> dict:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/ld+json")
    return json.loads(b"".join(response.streaming_content))


def items(document: dict) -> list[dict]:
    return document["first"]["items"]


def test_export_is_a_w3c_annotation_collection(alice_client, annotated, article):
    document = export(alice_client)
    assert document["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    assert document["type"] == "AnnotationCollection"
    assert document["first"]["type"] == "AnnotationPage"
    assert document["total"] == len(items(document)) == 4
    by_id = {item["id"]: item for item in items(document)}
    two = by_id[f"urn:uuid:{annotated['two'].pk}"]
    assert two["type"] == "Annotation"
    assert two["target"]["source"] == "https://news.example/seed"
    quote, position = two["target"]["selector"]
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": "Sergey Lavrov",
        "prefix": annotated["two"].prefix,
        "suffix": annotated["two"].suffix,
    }
    assert position == {
        "type": "TextPositionSelector",
        "start": annotated["two"].start,
        "end": annotated["two"].end,
    }
    assert article.text[position["start"] : position["end"]] == quote["exact"]
    assert two["body"] == [
        {"type": "TextualBody", "purpose": "commenting", "value": "Why?", "format": "text/plain"},
        {"type": "TextualBody", "purpose": "tagging", "value": "Russia"},
        {"type": "TextualBody", "purpose": "tagging", "value": "United States"},
    ]
    assert two["creator"] == {"type": "Person", "nickname": "alice"}
    assert two["created"].endswith("Z") and two["modified"].endswith("Z")
    assert "body" not in by_id[f"urn:uuid:{annotated['plain'].pk}"]


def test_target_of_an_article_without_source_is_its_reading_page(alice_client, alice):
    article = stored_article("No source", ["Words to mark here."])
    annotation_create(user=alice, article=article, start=0, end=5, quote="Words")
    (item,) = items(export(alice_client))
    assert item["target"]["source"] == f"http://testserver{article.get_absolute_url()}"


def test_export_takes_the_csv_filters(alice_client, annotated):
    mine = export(alice_client, visibility="mine", stance="Russia")
    assert [i["id"] for i in items(mine)] == [f"urn:uuid:{annotated['two'].pk}"]
    assert {i["creator"]["nickname"] for i in items(export(alice_client, user="bob"))} == {"bob"}


def test_export_of_nothing_is_an_empty_collection(alice_client, db):
    document = export(alice_client)
    assert items(document) == [] and document["total"] == 0


# -- import ------------------------------------------------------------------------------


def comparable(document: dict) -> list[dict]:
    return sorted(items(document), key=lambda item: item["id"])


def upload(client, article: Article, document: dict | bytes, name: str = "notes.jsonld"):
    raw = document if isinstance(document, bytes) else json.dumps(document).encode()
    return client.post(
        IMPORT_URL,
        {"article": article.pk, "file": SimpleUploadedFile(name, raw, "application/ld+json")},
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_round_trip_export_empty_import_export_gives_the_same_annotations(
    alice_client, annotated, article
):
    before = export(alice_client, user="alice")
    Annotation.objects.all().delete()
    response = upload(alice_client, article, before)
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    assert messages_of(response) == ["notes.jsonld: 3 annotations imported."]
    after = export(alice_client, user="alice")
    assert comparable(after) == comparable(before)
    fields = ("id", "start", "end", "quote", "prefix", "suffix", "note", "visibility")
    original = {
        (a.pk, a.start, a.end, a.quote, a.prefix, a.suffix, a.note, a.visibility)
        for k, a in annotated.items()
        if k != "bob"
    }
    assert set(Annotation.objects.values_list(*fields)) == original
    assert {
        (str(a.pk), tuple(s.name for s in a.stances.order_by("order")))
        for a in Annotation.objects.all()
    } == {
        (str(annotated["two"].pk), ("Russia", "United States")),
        (str(annotated["plain"].pk), ()),
        (str(annotated["private"].pk), ()),
    }


def test_reimporting_the_same_file_creates_no_duplicates(alice_client, annotated, article):
    document = export(alice_client, user="alice", visibility="mine")
    count = Annotation.objects.count()
    response = upload(alice_client, article, document)
    assert Annotation.objects.count() == count
    assert "0 annotations imported; 3 already here (skipped)." in messages_of(response)[0]


def test_an_id_of_someone_elses_annotation_gets_a_new_id_once(alice_client, annotated, article):
    """Only alice's own annotations count as already here: bob's shared one in her file
    becomes hers under a new id, reported, and a second import creates nothing."""
    document = export(alice_client)
    count = Annotation.objects.count()
    response = upload(alice_client, article, document)
    bob_id = f"urn:uuid:{annotated['bob'].pk}"
    (copy,) = Annotation.objects.filter(user__username="alice", quote="Switzerland")
    assert copy.pk != annotated["bob"].pk
    shown = messages_of(response)
    assert "1 annotation imported; 3 already here (skipped); 1 given a new id." in shown[0]
    assert f"New id for {bob_id}: urn:uuid:{copy.pk}" in shown
    assert Annotation.objects.get(pk=annotated["bob"].pk).user.username == "bob"
    response = upload(alice_client, article, document)
    assert Annotation.objects.count() == count + 1
    assert any("0 annotations imported; 4 already here" in m for m in messages_of(response))


def test_import_gives_annotations_to_the_importer(bob_client, alice_client, annotated, article):
    document = export(alice_client, user="alice", visibility="mine")
    Annotation.objects.filter(user__username="alice").delete()
    upload(bob_client, article, document)
    assert set(Annotation.objects.values_list("user__username", flat=True)) == {"bob"}
    assert Annotation.objects.count() == 4


def test_import_places_moved_quotes_and_reports_unplaceable_ones(alice, article):
    text = article.text
    start = text.index("Montreux")
    document = {
        "type": "AnnotationPage",
        "items": [
            {
                "id": "urn:uuid:11111111-1111-4111-8111-111111111111",
                "type": "Annotation",
                "target": {
                    "source": "https://news.example/seed",
                    "selector": [
                        {"type": "TextQuoteSelector", "exact": "Montreux"},
                        {"type": "TextPositionSelector", "start": start + 3, "end": start + 11},
                    ],
                },
            },
            {
                "id": "urn:uuid:22222222-2222-4222-8222-222222222222",
                "type": "Annotation",
                "target": {
                    "source": "https://news.example/seed",
                    "selector": {"type": "TextQuoteSelector", "exact": "words that are not there"},
                },
            },
            {
                "type": "Annotation",
                "target": {
                    "source": "https://elsewhere.example/x",
                    "selector": {"type": "TextQuoteSelector", "exact": "x"},
                },
            },
            {"type": "Annotation"},
        ],
    }
    report = jsonld.import_collection(document, importer=alice)
    assert (report.created, report.moved) == (1, 1)
    moved = Annotation.objects.get()
    assert (moved.start, moved.end, moved.quote, moved.anchor_status) == (
        start,
        start + 8,
        "Montreux",
        "moved",
    )
    assert len(report.unplaced) == 1 and "words that are not there" in report.unplaced[0]
    assert dict(report.no_article) == {"https://elsewhere.example/x": 1}
    assert report.problems == ["item 4 has no target"]
    summary = report.summary()
    assert "1 could not be placed" in summary and "1 for articles not in Stance Reader" in summary


def test_import_matches_the_reading_page_url_of_an_article_without_source(alice):
    article = stored_article("No source", ["Words to mark here."])
    document = {
        "type": "Annotation",
        "target": {
            "source": f"http://testserver{article.get_absolute_url()}",
            "selector": {"type": "TextQuoteSelector", "exact": "mark"},
        },
    }
    report = jsonld.import_collection(document, importer=alice, base_url="http://testserver")
    assert report.created == 1
    assert Annotation.objects.get().article == article
    Annotation.objects.all().delete()
    elsewhere = jsonld.import_collection(document, importer=alice, base_url="https://other.example")
    assert elsewhere.created == 0 and sum(elsewhere.no_article.values()) == 1


def test_unknown_stances_are_left_off_and_reported(alice, article, stances):
    document = {
        "type": "Annotation",
        "id": "https://hypothes.is/a/abc123",
        "body": [
            {"type": "TextualBody", "purpose": "tagging", "value": "russia"},
            {"type": "TextualBody", "purpose": "tagging", "value": "Atlantis"},
        ],
        "target": {
            "source": "https://news.example/seed",
            "selector": {"type": "TextQuoteSelector", "exact": "Lavrov"},
        },
    }
    report = jsonld.import_collection(document, importer=alice)
    annotation = Annotation.objects.get()
    assert [s.name for s in annotation.stances.all()] == ["Russia"]
    assert dict(report.unknown_stances) == {"Atlantis": 1}
    assert annotation.visibility == "private"  # no visibility term: the importer shares it
    again = jsonld.import_collection(document, importer=alice)
    assert (again.created, again.already_present) == (0, 1)


def test_keep_authors_is_for_staff_and_needs_existing_users(alice, bob, staff, article):
    document = {
        "type": "AnnotationPage",
        "items": [
            {
                "type": "Annotation",
                "creator": {"type": "Person", "nickname": name},
                "target": {
                    "source": "https://news.example/seed",
                    "selector": {"type": "TextQuoteSelector", "exact": quote},
                },
            }
            for name, quote in (("bob", "Lavrov"), ("nobody", "Montreux"))
        ],
    }
    with pytest.raises(jsonld.ImportError_, match="Only staff"):
        jsonld.import_collection(document, importer=alice, keep_authors=True)
    report = jsonld.import_collection(document, importer=staff, keep_authors=True)
    assert report.created == 1
    assert Annotation.objects.get().user == bob
    assert report.problems == ["item 2: no user named “nobody” to keep as its author"]


def test_upload_over_the_size_limit_is_refused_with_a_message(alice_client, article, monkeypatch):
    monkeypatch.setattr(importing, "MAX_UPLOAD_BYTES", 1_000)
    response = upload(alice_client, article, b" " * 1_001 + b"[]")
    assert response.status_code == 302
    (message,) = messages_of(response)
    assert "imports are limited to" in message
    assert Annotation.objects.count() == 0


def test_upload_of_something_that_is_not_json_says_so(alice_client, article):
    response = upload(alice_client, article, b"\x89PNG not json")
    (message,) = messages_of(response)
    assert message.startswith("notes.jsonld: This is not a JSON file")


def test_upload_needs_post_and_a_login(alice_client, article):
    assert alice_client.get(IMPORT_URL).status_code == 405
    response = Client().post(IMPORT_URL, {"article": article.pk})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_page_has_an_id_and_is_part_of_the_collection_which_names_first_and_last(
    alice_client, annotated
):
    document = export(alice_client)
    page = document["first"]
    assert page["id"] and page["partOf"]["id"] == document["id"]
    assert page["partOf"]["label"] == document["label"]
    assert document["last"] == page["id"]
    assert len(page["items"]) == document["total"] == 4


def test_export_answers_head_options_and_if_none_match(
    alice_client, annotated, make_annotation, article, alice
):
    options = alice_client.options(URL)
    assert options.status_code == 204 and "OPTIONS" in options["Allow"]
    assert "ldp#BasicContainer" in options["Link"]
    head = alice_client.head(URL)
    assert head.status_code == 200 and head["ETag"] and "ldp#BasicContainer" in head["Link"]
    again = alice_client.get(URL, HTTP_IF_NONE_MATCH=head["ETag"])
    assert again.status_code == 304
    make_annotation(alice, article, "Montreux")
    changed = alice_client.get(URL, HTTP_IF_NONE_MATCH=head["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != head["ETag"]
