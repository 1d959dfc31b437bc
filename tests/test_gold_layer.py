"""The gold layer: exported after the coders' annotations with layer=gold (CSV column and
JSON-LD property), shown on the reading page behind a toggle, hidden where blind coding
hides the coders' work."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from studies.models import SnapshotAnnotation
from studies.services import adjudication_decide, submission_create

pytestmark = pytest.mark.django_db

CSV = reverse("project_export:annotations_csv", args=["default"])
JSONLD = reverse("project_export:annotations_jsonld", args=["default"])


@pytest.fixture
def gold(default_project, article, alice, make_user, make_annotation):
    """A blind study: bob and cyd submitted "Syrian" (Russia / United States); alice (the
    manager) settled it as gold with both stances; dee codes, not yet submitted."""
    from projects.services import membership_set

    membership_set(project=default_project, user=alice, role="manager")
    default_project.settings = {**(default_project.settings or {}), "blind": True}
    default_project.save(update_fields=["settings"])
    bob, cyd, dee = make_user("bob"), make_user("cyd"), make_user("dee")
    make_annotation(bob, article, "Syrian", stance_names=["Russia"], note="bob's")
    make_annotation(cyd, article, "Syrian", stance_names=["United States"], note="cyd's")
    for coder in (bob, cyd):
        submission_create(article=article, coder=coder)
    start = article.text.index("Syrian")
    adjudication_decide(
        article=article,
        sources=list(SnapshotAnnotation.objects.all()),
        decision="merged",
        curator=alice,
        start=start,
        end=start + len("Syrian"),
        stances=["Russia", "United States"],
        note="settled",
    )
    return {"article": article, "alice": alice, "bob": bob, "cyd": cyd, "dee": dee, "start": start}


def csv_rows(client, **params) -> list[dict]:
    response = client.get(CSV, params)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def jsonld_items(client) -> list[dict]:
    response = client.get(JSONLD)
    document = json.loads(b"".join(response.streaming_content))
    return document["first"]["items"]


def test_the_csv_ends_with_the_gold_rows_marked_as_gold(client, gold):
    client.force_login(gold["alice"])
    rows = csv_rows(client)
    assert list(rows[0])[-4:] == [
        "codebook_version",
        "layer",
        "article_version",
        "stances_as_coded",
    ]
    assert [(r["user"], r["layer"]) for r in rows] == [
        ("bob", "coder"),
        ("cyd", "coder"),
        ("alice", "gold"),
    ]
    row = rows[-1]
    text, start = gold["article"].text, gold["start"]
    assert (row["quote"], row["start"], row["end"], row["stances"], row["note"]) == (
        "Syrian",
        str(start),
        str(start + 6),
        "Russia; United States",
        "settled",
    )
    assert row["prefix"] == text[max(0, start - 32) : start]
    assert row["suffix"] == text[start + 6 : start + 38]
    long = csv_rows(client, layout="long")
    assert [(r["stance"], r["layer"]) for r in long if r["layer"] == "gold"] == [
        ("Russia", "gold"),
        ("United States", "gold"),
    ]


def test_filters_apply_to_gold(client, gold):
    client.force_login(gold["alice"])
    assert [r["layer"] for r in csv_rows(client, visibility="mine")] == []
    assert [r["layer"] for r in csv_rows(client, author="bob")] == ["coder"]
    assert [(r["user"], r["layer"]) for r in csv_rows(client, stance="United States")] == [
        ("cyd", "coder"),
        ("alice", "gold"),
    ]
    assert [r["layer"] for r in csv_rows(client, article=gold["article"].pk)][-1] == "gold"


def test_jsonld_marks_each_annotation_with_its_layer(client, gold):
    client.force_login(gold["alice"])
    items = jsonld_items(client)
    assert [(i["creator"]["nickname"], i["layer"]) for i in items] == [
        ("bob", "coder"),
        ("cyd", "coder"),
        ("alice", "gold"),
    ]
    tags = [b["value"] for b in items[-1]["body"] if b["purpose"] == "tagging"]
    assert tags == ["Russia", "United States"]
    assert items[-1]["target"]["selector"][1] == {
        "type": "TextPositionSelector",
        "start": gold["start"],
        "end": gold["start"] + 6,
    }


def test_gold_is_hidden_from_a_blind_coder_until_they_submit(client, gold, make_annotation):
    client.force_login(gold["dee"])
    assert [r["layer"] for r in csv_rows(client)] == []
    assert jsonld_items(client) == []
    page = client.get(gold["article"].get_absolute_url()).content.decode()
    assert 'id="gold-toggle"' not in page
    make_annotation(gold["dee"], gold["article"], "Iran")
    submission_create(article=gold["article"], coder=gold["dee"])
    assert [r["layer"] for r in csv_rows(client)] == ["coder", "coder", "coder", "gold"]
    assert 'id="gold-toggle"' in client.get(gold["article"].get_absolute_url()).content.decode()


def test_the_reading_page_toggles_the_gold_layer(client, gold):
    from bs4 import BeautifulSoup

    client.force_login(gold["alice"])
    url = gold["article"].get_absolute_url()
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    assert soup.select_one("#gold-layer") is None
    toggle = soup.select_one("a#gold-toggle")
    assert toggle["href"] == f"{url}?gold=1#gold-layer"
    soup = BeautifulSoup(client.get(toggle["href"].split("#")[0]).content, "html.parser")
    layer = soup.select_one("#gold-layer")
    assert "Gold layer (1 annotation)" in layer.get_text()
    assert [m.get_text() for m in layer.select(".gold-body mark")] == ["Syrian"]
    assert soup.select_one("#gold-layer a#gold-toggle")["href"] == url


def test_an_exported_gold_item_is_not_imported_as_someones_annotation(client, gold):
    from annotations.jsonld import import_collection
    from annotations.models import Annotation

    client.force_login(gold["alice"])
    response = client.get(JSONLD)
    raw = b"".join(response.streaming_content)
    report = import_collection(
        json.loads(raw), importer=gold["alice"], project=gold["article"].project
    )
    # The coders' two items come in as copies (the importer's existing rule for others'
    # annotations); the gold one does not, and the report says why.
    assert report.created == 2
    assert not Annotation.objects.filter(note="settled").exists()
    assert [p for p in report.problems if "gold (adjudicated)" in p] != []
