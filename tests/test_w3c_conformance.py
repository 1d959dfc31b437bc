"""The JSON-LD export passes every MUST of the W3C Web Annotation test suite: each
annotation, the collection and its page (tests/w3c.py runs the suite's schemas)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from annotations import importing
from tests import w3c
from tests.articles import stored_article

pytestmark = pytest.mark.django_db

HOSTILE = (
    '"}], "id": "javascript:alert(1)", "x": [{"',
    "</script><img src=x onerror=alert(1)>",
    '=HYPERLINK("http://evil.example")\t+1\r\n-2',
    "\u202eevil\u202c \u200b zero width, \U0001f1fa\U0001f1e6 flags, e\u0301 combined",
    '\\u0000 \\" backslashes \\',
)


@pytest.fixture
def hostile_article(db):
    return stored_article(
        'Talks "in" <Geneva> & elsewhere',
        [
            "Sergey Lavrov met the envoy in Montreux on Monday, officials said.",
            "A spokesman said: " + HOSTILE[1] + " and " + HOSTILE[0],
            "The \u202eflipped\u202c text and \U0001f1fa\U0001f1e6 flags stay as they were.",
        ],
        "https://news.example/talks?id=1&lang=en",
    )


@pytest.fixture
def variety(hostile_article, alice, bob, make_annotation):
    """Notes and none, private and shared, no stance, one and several, hostile text."""
    article = hostile_article
    return [
        make_annotation(alice, article, "Sergey Lavrov"),
        make_annotation(alice, article, "Montreux", stance_names=("Russia",)),
        make_annotation(
            alice, article, "the envoy", stance_names=("Russia", "United States", "Syrian opposition"),
            note="Three sides at once.",
        ),
        make_annotation(alice, article, "Monday", visibility="private", note="Mine alone."),
        make_annotation(alice, article, "officials said", visibility="private"),
        make_annotation(alice, article, HOSTILE[1], stance_names=("United States",), note=HOSTILE[0]),
        make_annotation(alice, article, HOSTILE[0], note="\n".join(HOSTILE)),
        make_annotation(alice, article, "\u202eflipped\u202c", note=HOSTILE[3]),
        make_annotation(bob, article, "flags", stance_names=("Syrian opposition",), note=HOSTILE[2]),
    ]  # fmt: skip


def export(client, **params) -> dict:
    response = client.get(reverse("export:annotations_jsonld"), params)
    assert response.status_code == 200, response.content
    return json.loads(b"".join(response.streaming_content))


def assert_conforms(collection: dict) -> None:
    """Every annotation (with the collection's @context, which it shares), the collection,
    and its page both embedded and on its own, pass every MUST."""
    context = collection["@context"]
    page = collection["first"]
    failures = {
        "collection": w3c.musts_failed(collection, w3c.COLLECTION_MUSTS),
        "collection with its embedded page": w3c.musts_failed(collection, w3c.PAGE_MUSTS),
        "page": w3c.musts_failed({"@context": context, **page}, w3c.PAGE_MUSTS),
    }
    for item in page["items"]:
        failures[item["id"]] = w3c.musts_failed({"@context": context, **item}, w3c.ANNOTATION_MUSTS)
    assert {where: f for where, f in failures.items() if f} == {}


def test_the_suites_must_lists_are_read_whole():
    # The suite's MUST lists as published: 54 annotation, 10 collection, 15 page assertions.
    counts = [
        len(w3c.assertions(t)) for t in (w3c.ANNOTATION_MUSTS, w3c.COLLECTION_MUSTS, w3c.PAGE_MUSTS)
    ]
    assert counts == [54, 10, 15]


def test_annotations_of_every_kind_pass_every_must(alice_client, variety):
    collection = export(alice_client)
    # alice sees her eight and bob's shared one; the kinds are all there.
    items = collection["first"]["items"]
    assert len(items) == collection["total"] == 9
    assert {i["visibility"] for i in items} == {"shared", "private"}
    assert {i["motivation"] for i in items} == {"highlighting", "tagging", "commenting"}
    assert max(sum(b["purpose"] == "tagging" for b in i.get("body", [])) for i in items) == 3
    assert any(b.get("value") == "\n".join(HOSTILE) for i in items for b in i.get("body", []))
    assert_conforms(collection)


def test_filtered_exports_pass_every_must(alice_client, variety):
    for params in (
        {"stance": "Russia"},
        {"visibility": "mine"},
        {"user": "bob"},
        {"stance": "Syrian opposition", "raw": "1"},
    ):
        collection = export(alice_client, **params)
        assert collection["total"] >= 1, params
        assert_conforms(collection)


def test_an_empty_export_passes_every_must(alice_client, db):
    collection = export(alice_client)
    assert collection["total"] == 0
    assert_conforms(collection)


def test_imported_annotations_with_the_files_dates_pass_every_must(
    alice_client, alice, hostile_article, stances
):
    """A Hypothesis row keeps its created/updated as data; the export carries them."""
    row = {
        "id": "hypAbC123",
        "created": "2023-05-01T08:30:00.123456+00:00",
        "updated": "2023-05-02T09:00:00+02:00",
        "user": "acct:carol@hypothes.is",
        "uri": "https://news.example/talks?lang=en&id=1&utm_source=x",
        "text": HOSTILE[2],
        "tags": ["russia", "unknown-tag"],
        "permissions": {"read": ["group:__world__"]},
        "target": [{"source": "https://news.example/talks?id=1&lang=en", "selector": [
            {"type": "TextQuoteSelector", "exact": "Montreux"}]}],
    }  # fmt: skip
    report = importing.import_collection({"total": 1, "rows": [row]}, importer=alice)
    assert report.created == 1
    collection = export(alice_client)
    (item,) = collection["first"]["items"]
    assert (item["created"], item["modified"]) == (
        "2023-05-01T08:30:00.123456Z",
        "2023-05-02T07:00:00.000000Z",
    )
    assert_conforms(collection)


def test_the_checks_catch_what_breaks_a_must(alice_client, variety):
    """The suite is not vacuous: the faults it exists to catch are caught."""
    collection = export(alice_client)
    context, page = collection["@context"], collection["first"]
    item = {"@context": context, **page["items"][0]}

    def failed(document, test_file) -> set[str]:
        return {f.split(":")[0].rsplit("/", 1)[-1] for f in w3c.musts_failed(document, test_file)}

    assert failed({**page, "@context": context, "id": None}, w3c.PAGE_MUSTS) >= {
        "5.2-pageIdValidated.json"
    }
    assert "5.2-pageContextValidated.json" in failed(page, w3c.PAGE_MUSTS)
    assert "5.1-collectionFirstValidated.json" in failed(
        {**collection, "first": 3}, w3c.COLLECTION_MUSTS
    )
    assert failed({**item, "id": "not a uri"}, w3c.ANNOTATION_MUSTS) == {
        "3.1-annotationIdValidated.json"
    }
    assert failed({**item, "created": "yesterday"}, w3c.ANNOTATION_MUSTS) == {
        "3.3.1-annotationCreatedValidated.json"
    }
    assert "3.2.5-notBodyBodyValue.json" in failed(
        {**item, "body": [{"type": "TextualBody", "value": "x"}], "bodyValue": "x"},
        w3c.ANNOTATION_MUSTS,
    )
    broken_selector = {**item["target"], "selector": {"type": "TextPositionSelector", "start": "0"}}
    assert failed({**item, "target": broken_selector}, w3c.ANNOTATION_MUSTS)
