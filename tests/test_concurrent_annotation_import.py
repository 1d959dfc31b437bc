"""The same Hypothesis file uploaded twice at once creates every annotation once.

Two processes post the 1,000-row file of benchmarks/hypothesis_import.py to the upload
view, against a database of their own (a file SQLite database, or a scratch PostgreSQL
database in the PostgreSQL pass). Each waits, after matching and placing its rows and
before writing any, until the other has done the same: the worst interleaving, where
both believe every annotation is new.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.hypothesis_import import build_rows
from tests.scratch import Scratch, manage, postgres_database, postgres_url, run, sqlite_database

SEED_EXPECTED = (
    Path(__file__).resolve().parents[2] / "shared/samples/000_cec687c1fc65c03c.expected.json"
)

SETUP = """
import json
from django.contrib.auth import get_user_model
from tests.articles import stored_article
expected = json.loads(open({seed!r}, encoding="utf-8").read())
stored_article(expected["title"], expected["body_paragraphs"], "https://news.example/seed")
alice = get_user_model().objects.create_user("alice", password="a-long-test-password-81")
from projects.services import default_project, membership_set
membership_set(project=default_project(), user=alice)
"""

# Runs in each uploading process: hold the writes until both have planned theirs.
UPLOAD = """
import json, pathlib, time
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from annotations import importing

folder = pathlib.Path({folder!r})
write = importing._write

def write_when_both_planned(planned, report, progress, *rest):
    (folder / "planned-{name}").write_text(str(len(planned)))
    deadline = time.monotonic() + 120
    while len(list(folder.glob("planned-*"))) < 2:
        if time.monotonic() > deadline:
            raise SystemExit("the other upload never got as far as writing")
        time.sleep(0.01)
    return write(planned, report, progress, *rest)

importing._write = write_when_both_planned
client = Client(HTTP_HOST="localhost")
client.force_login(get_user_model().objects.get(username="alice"))
with open({file!r}, "rb") as upload:
    response = client.post(reverse("export:annotations_import"), {{"file": upload}})
print(json.dumps({{
    "status": response.status_code,
    "messages": [str(m) for m in get_messages(response.wsgi_request)],
}}))
"""


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Scratch]:
    url = postgres_url()
    if url is None:
        yield sqlite_database(tmp_path / "race.sqlite3")
    else:
        with postgres_database(url, "stance_race_test") as database:
            yield database


@pytest.fixture
def hypothesis_file(tmp_path: Path) -> Path:
    paragraphs = json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))["body_paragraphs"]
    rows = build_rows(paragraphs)
    path = tmp_path / "hypothesis.json"
    path.write_text(json.dumps({"total": len(rows), "rows": rows}), encoding="utf-8")
    return path


def counts_in(summary: str) -> tuple[int, int, int]:
    """(imported, already here, placed by a similar passage) of an import's summary."""
    found = [
        re.search(pattern, summary)
        for pattern in (r"(\d+) annotations? imported", r"(\d+) already here", r"(\d+) placed by a")
    ]
    return tuple(int(m.group(1)) if m else 0 for m in found)


def test_the_same_file_uploaded_twice_at_once_creates_nothing_twice(
    scratch: Scratch, hypothesis_file: Path, tmp_path: Path
):
    migrated = run(scratch.url, "migrate", "--no-input", "-v", "0")
    assert migrated.returncode == 0, migrated.stderr
    setup = run(scratch.url, "shell", "-c", SETUP.format(seed=str(SEED_EXPECTED)))
    assert setup.returncode == 0, setup.stderr

    folder = tmp_path / "barrier"
    folder.mkdir()
    uploads = [
        manage(
            scratch.url,
            "shell",
            "-c",
            UPLOAD.format(folder=str(folder), name=name, file=str(hypothesis_file)),
        )
        for name in ("first", "second")
    ]
    outputs = [upload.communicate(timeout=300) for upload in uploads]
    for upload, (_, err) in zip(uploads, outputs, strict=True):
        assert upload.returncode == 0, err
    results = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
    planned = {int(p.read_text()) for p in folder.glob("planned-*")}

    # Both planned every placeable row before either wrote one.
    assert len(planned) == 1, results
    (placed,) = planned
    assert placed > 700
    for result in results:
        assert result["status"] == 302
    created, present, fuzzy = zip(*(counts_in(r["messages"][0]) for r in results), strict=True)
    assert sum(created) == placed and sum(present) == placed, (created, present)
    # What the other upload wrote first is not reported as placed by this one.
    assert sum(fuzzy) > 0 and all(f <= c for f, c in zip(fuzzy, created, strict=True))

    rows = scratch.query("SELECT COUNT(*), COUNT(DISTINCT source_id) FROM annotations_annotation")
    assert rows == [(placed, placed)]
    duplicates = scratch.query(
        'SELECT article_id, start, "end", COUNT(*) FROM annotations_annotation '
        'GROUP BY article_id, start, "end", source_id HAVING COUNT(*) > 1'
    )
    assert duplicates == []
    tags = scratch.query(
        "SELECT COUNT(*) FROM annotations_annotationstance s "
        "JOIN annotations_annotation a ON a.id = s.annotation_id"
    )
    # Every row carries one tag; "fbi-letter" is no stance, the others are.
    assert 0 < tags[0][0] < placed

    again = run(
        scratch.url,
        "shell",
        "-c",
        UPLOAD.format(folder=str(folder), name="third", file=str(hypothesis_file)),
    )
    assert again.returncode == 0, again.stderr
    summary = json.loads(again.stdout.strip().splitlines()[-1])["messages"][0]
    assert counts_in(summary) == (0, placed, 0)
    assert scratch.query("SELECT COUNT(*) FROM annotations_annotation") == [(placed,)]
