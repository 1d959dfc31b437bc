from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from annotations.models import Annotation
from reader.models import Article
from tests.articles import stored_article

SEED_EXPECTED = (
    Path(__file__).resolve().parents[2] / "shared/samples/000_cec687c1fc65c03c.expected.json"
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(db, alice) -> Article:
    """The seed article's expected text, without a source URL, stored directly."""
    expected = json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))
    return stored_article(expected["title"], expected["body_paragraphs"])


@pytest.fixture
def annotated(article, alice, bob, make_annotation):
    sourced = stored_article("=Sourced", ["@Alpha, beta\r\n“gamma”."], "https://news.example/a")
    return {
        "two": make_annotation(
            alice, article, "Sergey Lavrov", stance_names=("Russia", "United States"), note="=1+1"
        ),
        "plain": make_annotation(alice, sourced, "@Alpha, beta\r\n“gamma”", note='say "hi"\n'),
        "alice_private": make_annotation(alice, article, "Montreux", visibility="private"),
        "bob_shared": make_annotation(bob, article, "Switzerland", stance_names=("Russia",)),
        "bob_private": make_annotation(bob, article, "Iran", visibility="private"),
    }


def command_output(tmp_path, *args: str) -> bytes:
    out = tmp_path / "out.csv"
    call_command("export_annotations", *args, "--output", str(out))
    return out.read_bytes()


def web_output(client, params: dict) -> bytes:
    response = client.get("/export/annotations.csv", params)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("params", "args"),
    [
        ({}, []),
        ({"layout": "long"}, ["--layout", "long"]),
        ({"bom": "1"}, ["--bom"]),
        ({"raw": "1"}, ["--raw"]),
        ({"raw": "1", "layout": "long"}, ["--raw", "--layout", "long"]),
        ({"visibility": "mine"}, ["--visibility", "mine"]),
        ({"stance": "Russia", "author": "bob"}, ["--stance", "Russia", "--author", "bob"]),
        (
            {"from": "2000-01-01", "to": "2999-12-31"},
            ["--from", "2000-01-01", "--to", "2999-12-31"],
        ),
    ],
)
def test_command_writes_the_same_bytes_as_the_web_export(
    alice_client, annotated, tmp_path, params, args
):
    web = web_output(alice_client, params)
    command = command_output(tmp_path, "--user", "alice", "--base-url", "http://testserver", *args)
    assert command == web
    assert web.count(b"\r\n") >= 2


def test_command_article_filter_matches_the_web(alice_client, annotated, article, tmp_path):
    web = web_output(alice_client, {"article": article.pk})
    command = command_output(
        tmp_path, "--user", "alice", "--base-url", "http://testserver", "--article", str(article.pk)
    )
    assert command == web


def test_command_without_user_exports_every_shared_annotation_and_no_private_one(
    annotated, tmp_path, article
):
    text = command_output(tmp_path).decode("utf-8")
    got = {row["annotation_id"] for row in csv.DictReader(io.StringIO(text, newline=""))}
    assert got == {str(annotated[k].pk) for k in ("two", "plain", "bob_shared")}
    # Without --base-url the reading page is a link to STANCE_SITE_URL.
    assert f",{settings.SITE_URL}{article.get_absolute_url()}," in text


def test_command_to_standard_output(annotated, capsys):
    call_command("export_annotations", "--stance", "United States")
    out = capsys.readouterr().out
    assert out.startswith("annotation_id,") and str(annotated["two"].pk) in out


def test_command_refuses_bad_filters_and_writes_nothing(annotated, tmp_path):
    out = tmp_path / "out.csv"
    with pytest.raises(CommandError, match="No stance with id or name “Atlantis”"):
        call_command("export_annotations", "--stance", "Atlantis", "--output", str(out))
    with pytest.raises(CommandError, match="“mine” needs a user"):
        call_command("export_annotations", "--visibility", "mine", "--output", str(out))
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("export_annotations", "--user", "nobody", "--output", str(out))
    assert not out.exists()


def test_import_command_round_trip_with_authors_kept(staff_client_export, annotated, tmp_path):
    before = staff_client_export()
    path = tmp_path / "all.jsonld"
    path.write_text(json.dumps(before), encoding="utf-8")
    Annotation.objects.all().delete()
    out = io.StringIO()
    call_command("import_annotations", str(path), "--user", "sam", "--keep-authors", stdout=out)
    assert "3 annotations imported." in out.getvalue()
    after = staff_client_export()
    assert sorted(after["first"]["items"], key=lambda i: i["id"]) == sorted(
        before["first"]["items"], key=lambda i: i["id"]
    )
    again = io.StringIO()
    call_command("import_annotations", str(path), "--user", "sam", "--keep-authors", stdout=again)
    assert "0 annotations imported; 3 already here (skipped)." in again.getvalue()
    assert Annotation.objects.count() == 3


def test_import_command_keep_authors_is_refused_for_non_staff(annotated, tmp_path):
    path = tmp_path / "a.jsonld"
    path.write_text('{"type": "AnnotationPage", "items": []}', encoding="utf-8")
    with pytest.raises(CommandError, match="Only staff"):
        call_command("import_annotations", str(path), "--user", "alice", "--keep-authors")


def test_import_command_reports_what_it_could_not_place(annotated, tmp_path, alice):
    path = tmp_path / "a.jsonld"
    path.write_text(
        json.dumps(
            {
                "type": "Annotation",
                "target": {
                    "source": "https://news.example/a",
                    "selector": {"type": "TextQuoteSelector", "exact": "not in the text"},
                },
            }
        ),
        encoding="utf-8",
    )
    out, err = io.StringIO(), io.StringIO()
    call_command("import_annotations", str(path), "--user", "alice", stdout=out, stderr=err)
    assert "1 could not be placed" in out.getvalue()
    assert "not in the text" in err.getvalue()


@pytest.fixture
def staff_client_export(client, staff):
    client.force_login(staff)

    def export() -> dict:
        response = client.get("/export/annotations.jsonld")
        assert response.status_code == 200
        return json.loads(b"".join(response.streaming_content))

    return export
