"""manage.py import_articles: files, folders, .jsonl, summary, exit code, no duplicates."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from reader.models import Article
from tests.articles import FLOODS, html_article, numbered_article
from tests.commands import run_import
from tests.conftest import SEED

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A folder with articles at two depths and a file the command must ignore."""
    (tmp_path / "nested" / "deeper").mkdir(parents=True)
    (tmp_path / SEED.name).write_bytes(SEED.read_bytes())
    (tmp_path / "nested" / "one.txt").write_bytes(numbered_article(1))
    (tmp_path / "nested" / "deeper" / "two.html").write_bytes(html_article(*FLOODS))
    (tmp_path / "nested" / "notes.pdf").write_bytes(b"%PDF-1.4 not an article")
    return tmp_path


def test_command_imports_single_files(tmp_path: Path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_bytes(numbered_article(1))
    second.write_bytes(numbered_article(2))
    out, err, code = run_import(str(first), str(second))
    assert code == 0, err
    assert "Imported 2, updated 0, duplicates skipped 0, failed 0." in out
    assert Article.objects.count() == 2


def test_command_imports_a_folder_recursively(library: Path):
    out, err, code = run_import(str(library))
    assert code == 0, err
    assert "Imported 3," in out and "failed 0" in out
    titles = set(Article.objects.values_list("title", flat=True))
    assert FLOODS[0] in titles
    assert any("number 1" in t for t in titles)
    assert any(t.startswith("Syria peace talks") for t in titles)


def test_second_run_imports_nothing_twice(library: Path):
    run_import(str(library))
    out, err, code = run_import(str(library))
    assert code == 0, err
    assert "Imported 0, updated 0, duplicates skipped 3, failed 0." in out
    assert Article.objects.count() == 3


def test_command_records_the_importer(tmp_path: Path, alice):
    path = tmp_path / "a.txt"
    path.write_bytes(numbered_article(7))
    run_import(str(path), "--user", "alice")
    assert Article.objects.get().imported_by == alice


def test_command_refuses_an_unknown_user(tmp_path: Path):
    path = tmp_path / "a.txt"
    path.write_bytes(numbered_article(7))
    out, err, code = run_import(str(path), "--user", "nobody")
    assert code != 0 and "nobody" in err
    assert Article.objects.count() == 0


def test_command_reports_a_missing_path(tmp_path: Path):
    out, err, code = run_import(str(tmp_path / "absent.txt"))
    assert code != 0
    assert "failed 1" in out and "absent.txt" in err


def jsonl_rows() -> list[str]:
    return [
        json.dumps(
            {
                "title": "Harbour given a new lease of life",
                "url": "https://news.example.org/harbour",
                "published": "2023-05-04T09:30:00Z",
                "html": html_article(*FLOODS).decode(),
            }
        ),
        json.dumps(
            {
                "title": "Plain text row",
                "published": "2022-11-30",
                "text": numbered_article(9).decode(),
            }
        ),
        "{not json at all",
        json.dumps({"title": "Nothing to import", "url": "https://news.example.org/empty"}),
        "",
    ]


def test_command_imports_jsonl_and_reports_bad_lines(tmp_path: Path):
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(jsonl_rows()), encoding="utf-8")
    out, err, code = run_import(str(path))
    assert code != 0
    assert "Imported 2, updated 0, duplicates skipped 0, failed 2." in out
    assert "batch.jsonl:3" in err and "not valid JSON" in err
    assert "batch.jsonl:4" in err and "neither" in err
    harbour = Article.objects.get(source_url="https://news.example.org/harbour")
    assert harbour.title == "Harbour given a new lease of life"
    assert harbour.published == dt.datetime(2023, 5, 4, 9, 30, tzinfo=dt.UTC)
    assert "flood defences" in harbour.text
    plain = Article.objects.get(title="Plain text row")
    assert plain.published == dt.datetime(2022, 11, 30, tzinfo=dt.UTC)
    assert "berth 9" in plain.text


def test_jsonl_rerun_imports_nothing_twice(tmp_path: Path):
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(jsonl_rows()[:2]), encoding="utf-8")
    run_import(str(path))
    out, err, code = run_import(str(path))
    assert code == 0, err
    assert "Imported 0, updated 0, duplicates skipped 2, failed 0." in out
    assert Article.objects.count() == 2


def test_jsonl_with_a_bad_published_date_is_reported(tmp_path: Path):
    path = tmp_path / "batch.jsonl"
    row = {"title": "T", "published": "last Tuesday", "text": numbered_article(3).decode()}
    path.write_text(json.dumps(row), encoding="utf-8")
    out, err, code = run_import(str(path))
    assert code != 0 and "last Tuesday" in err
    assert Article.objects.count() == 0


def test_updated_file_counts_as_updated(tmp_path: Path):
    path = tmp_path / "batch.jsonl"
    row = {"url": "https://news.example.org/story", "text": numbered_article(4).decode()}
    path.write_text(json.dumps(row), encoding="utf-8")
    run_import(str(path))
    row["text"] = row["text"].replace("next month", "next week")
    path.write_text(json.dumps(row), encoding="utf-8")
    out, err, code = run_import(str(path))
    assert code == 0, err
    assert "Imported 0, updated 1, duplicates skipped 0, failed 0." in out
    assert "next week" in Article.objects.get().text


def test_a_file_claiming_another_importers_article_becomes_a_proposal(tmp_path: Path, alice, bob):
    """bob imports a saved copy of a page alice imported (its canonical link names it),
    with edited text: alice's article stays as it was, and bob's text waits as a proposed
    update for her review; the command says so instead of failing."""
    from reader import services
    from reader.models import ArticleProposal

    url = "https://news.example.org/2024/floods"
    original = services.article_import(raw=html_article(*FLOODS), user=alice, url=url).article
    canonical = f'<link rel="canonical" href="{url}">'.encode()
    edited = html_article(*FLOODS[:3], "A fourth paragraph bob's copy adds.")
    path = tmp_path / "floods.html"
    path.write_bytes(edited.replace(b"<head>", b"<head>" + canonical))
    out, err, code = run_import(str(path), "--user", "bob")
    assert code == 0, err
    assert "Imported 0, updated 0, proposed 1 (for the article's editors to review), " in out
    original.refresh_from_db()
    assert original.version == 1 and "fourth paragraph" not in original.text
    proposal = ArticleProposal.objects.get(article=original)
    assert proposal.proposed_by == bob and "fourth paragraph" in proposal.text


def test_an_edited_copy_is_noted_or_with_update_similar_updates_the_article(tmp_path: Path, alice):
    """A text file imported, then edited (one figure corrected) and imported again: by
    default a second article, with a note naming the first; with --update-similar the first
    article is updated in place (version 2) and nothing new is made."""
    from tests.articles import plain_article

    paragraphs = [
        "Harbour board shuts the old ferry pier for two years",
        "The harbour board said on Tuesday that the old ferry pier would close for two years "
        "after inspectors found rot in most of its timber piles.",
        "Repairs will cost about 4.2 million pounds, the board said, and ferries will use the "
        "north quay while the work goes on.",
        "Traders on the pier will be offered stalls on the north quay at the same rent.",
    ]
    first = tmp_path / "pier.txt"
    first.write_bytes(plain_article(*paragraphs))
    run_import(str(first), "--user", "alice")
    edited = tmp_path / "pier-corrected.txt"
    edited.write_bytes(plain_article(*paragraphs).replace(b"4.2 million", b"4.7 million"))

    out, err, code = run_import(str(edited), "--user", "alice")
    assert code == 0, err
    assert "Imported 1," in out
    original = Article.objects.order_by("pk").first()
    assert f"looks like an edited copy of “{paragraphs[0]}” (article {original.pk}" in out
    assert "--update-similar" in out
    Article.objects.exclude(pk=original.pk).delete()

    out, err, code = run_import(str(edited), "--user", "alice", "--update-similar")
    assert code == 0, err
    assert "Imported 0, updated 1," in out and "note:" not in out
    assert Article.objects.count() == 1
    original.refresh_from_db()
    assert original.version == 2 and "4.7 million" in original.text
