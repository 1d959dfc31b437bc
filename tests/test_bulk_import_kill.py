"""A bulk import killed with SIGKILL halfway leaves only whole articles; a rerun completes it.

`manage.py import_articles` runs in a subprocess against a database of its own — a file
SQLite database in the SQLite pass of the suite, a scratch PostgreSQL database (created
and dropped here, never the test database) in the PostgreSQL pass — is killed once some
articles are in, and the database is then read directly.
"""

from __future__ import annotations

import hashlib
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest

from tests.scratch import Scratch, manage, postgres_database, postgres_url, run, sqlite_database

ARTICLES = 60
KILL_AFTER = 6
BLOCK_TAGS = ("p", "h2", "h3", "h4", "blockquote", "li", "figcaption")


def article_html(n: int) -> str:
    paragraphs = [
        f"The harbour master's report number {n} found that {n * 3} boats were moored in May.",
        f"Repairs to berth {n} will cost about {n * 1000} pounds, the council said on Thursday.",
        f"Residents will be asked for their views on plan {n} at a meeting next month.",
        f"Fishermen said that the state of pier {n} had worried them for {n % 7 + 2} years.",
    ]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><title>Harbour report {n}</title>"
        '<meta property="og:site_name" content="Harbour Gazette"></head><body><article>'
        f"<h1>Harbour report {n}</h1>{body}</article></body></html>"
    )


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    folder.mkdir()
    for n in range(ARTICLES):
        (folder / f"report-{n:03}.html").write_text(article_html(n), encoding="utf-8")
    return folder


@pytest.fixture
def sqlite_scratch(tmp_path: Path) -> Scratch:
    if postgres_url() is not None:
        pytest.skip(
            "the suite is running on PostgreSQL; the SQLite variant runs in the SQLite pass"
        )
    return sqlite_database(tmp_path / "kill.sqlite3")


@pytest.fixture
def postgres_scratch() -> Iterator[Scratch]:
    url = postgres_url()
    if url is None:
        pytest.skip("the suite is running on SQLite; the PostgreSQL variant runs in the PG pass")
    with postgres_database(url, "stance_kill_test") as scratch:
        yield scratch


def canonical_text(body_html: str) -> tuple[str, list[tuple[int, int]]]:
    """The text rebuilt from the stored blocks, and each block's (data-offset, real offset)."""
    root = lxml.html.fragment_fromstring(f"<div>{body_html}</div>")
    texts, offsets, at = [], [], 0
    for block in root.iter(*BLOCK_TAGS):
        if block.get("data-offset") is None:
            continue
        text = block.text_content()
        offsets.append((int(block.get("data-offset")), at))
        texts.append(text)
        at += len(text) + 2
    return "\n\n".join(texts), offsets


def assert_only_whole_articles(scratch: Scratch) -> int:
    rows = scratch.query(
        "SELECT id, title, body_html, text, text_hash, word_count FROM reader_article"
    )
    for pk, title, body_html, text, text_hash, word_count in rows:
        assert title and text.strip(), pk
        rebuilt, offsets = canonical_text(body_html)
        assert rebuilt == text, pk
        assert all(declared == real for declared, real in offsets), pk
        assert text_hash == hashlib.sha256(text.encode("utf-8")).hexdigest(), pk
        assert word_count > 0, pk
    with_paragraphs = {
        pk for (pk,) in scratch.query("SELECT DISTINCT article_id FROM reader_sourceparagraph")
    }
    assert with_paragraphs == {pk for pk, *_ in rows}
    return len(rows)


def count(scratch: Scratch) -> int:
    try:
        return scratch.query("SELECT COUNT(*) FROM reader_article")[0][0]
    except Exception:  # the table may be mid-write or locked for an instant
        return 0


def kill_halfway_and_rerun(scratch: Scratch, library: Path) -> None:
    migrated = run(scratch.url, "migrate", "--no-input", "-v", "0")
    assert migrated.returncode == 0, migrated.stderr
    importing = manage(scratch.url, "import_articles", str(library))
    deadline = time.monotonic() + 120
    while count(scratch) < KILL_AFTER and importing.poll() is None:
        assert time.monotonic() < deadline, "the import made no progress"
        time.sleep(0.02)
    assert importing.poll() is None, "the import finished before it could be killed"
    importing.send_signal(signal.SIGKILL)
    importing.communicate(timeout=30)
    assert importing.returncode == -signal.SIGKILL

    stored = assert_only_whole_articles(scratch)
    assert KILL_AFTER <= stored < ARTICLES

    rerun = run(scratch.url, "import_articles", str(library))
    assert rerun.returncode == 0, rerun.stderr
    assert f"Imported {ARTICLES - stored}," in rerun.stdout
    assert f"duplicates skipped {stored}," in rerun.stdout
    assert assert_only_whole_articles(scratch) == ARTICLES
    titles = [t for (t,) in scratch.query("SELECT title FROM reader_article")]
    assert sorted(titles) == sorted(f"Harbour report {n}" for n in range(ARTICLES))


def test_killed_bulk_import_leaves_whole_articles_and_a_rerun_completes_it_on_sqlite(
    sqlite_scratch: Scratch, library: Path
):
    kill_halfway_and_rerun(sqlite_scratch, library)


def test_killed_bulk_import_leaves_whole_articles_and_a_rerun_completes_it_on_postgresql(
    postgres_scratch: Scratch, library: Path
):
    kill_halfway_and_rerun(postgres_scratch, library)


class Crash(Exception):
    """Stands for the process dying between two statements of one import."""


@pytest.mark.django_db
def test_an_import_that_dies_after_storing_the_article_leaves_nothing(alice, monkeypatch):
    from reader import services
    from reader.models import Article, SourceParagraph

    def die(*args, **kwargs):
        raise Crash

    monkeypatch.setattr(SourceParagraph.objects, "bulk_create", die)
    with pytest.raises(Crash):
        services.article_import(
            raw=article_html(1).encode(), user=alice, url="https://gazette.example/1"
        )
    assert not Article.objects.exists()
    monkeypatch.undo()
    outcome = services.article_import(
        raw=article_html(1).encode(), user=alice, url="https://gazette.example/1"
    )
    assert outcome.status == services.IMPORTED
    assert SourceParagraph.objects.filter(article=outcome.article).exists()
