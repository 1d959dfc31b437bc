"""Seed a benchmark database fast: articles, users, annotations with real spans.

Usage (from the project root):
    .venv/bin/python benchmarks/seed_data.py --db sqlite [--scale 0.01] [--name stance_bench]
        [--projects N]
    .venv/bin/python benchmarks/seed_data.py --db postgres --articles 100 --annotations 10000 \
        --name stance_bench_small

The database (benchmarks/out/<name>.sqlite3, or PostgreSQL <name> on
127.0.0.1) is dropped and rebuilt from the migrations. Article texts are the
ground-truth bodies of ../shared/extraction-bench and the samples run through
the import pipeline, each repeated with its paragraphs rotated and a numbered
dateline so that every article is distinct. Annotations cover runs of whole
words inside one paragraph, so quote == text[start:end] on the stored text.
Besides the corpus there is a "hot" article (1,000 annotations from 10 users)
and its "cold" twin: the same body with no annotation, for the reading-page
comparison. Annotation rows go in with executemany (SQLite) or COPY
(PostgreSQL), in one transaction.

The articles are spread over projects of 100 articles each (100 projects at
scale 1; --projects sets the number, and --projects 1 puts the whole corpus in
one project, the room everyone shared before projects). Each project has the
default codebook and a team of members who write its annotations: the hot
article's project (the first, "bench-p000") has the first 10 users, the bench
users who read the pages among them; every other project has 5 users, so each
user belongs to about 10 projects, as the header's project switcher shows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import html
import json
import random
import re
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import benchenv  # noqa: E402

SHARED = benchenv.PROJECT_ROOT.parent / "shared"
HOT_SLUG = "bench-hot-article"
COLD_SLUG = "bench-cold-twin"
HOT_ANNOTATIONS = 1_000
HOT_USERS = 10
USERS = 50
TEAM = 5
ARTICLES_PER_PROJECT = 100
USER_PASSWORD = "bench-password-not-secret-1"  # noqa: S105
WORDS = re.compile(r"\w+")
NOTES = [
    "Attributed to an unnamed official; check the original statement.",
    "Same claim as the ministry's briefing the day before.",
    "Frames the strike as retaliation.",
    "Casualty figure differs from the monitor's count.",
    "Quote is paraphrased, not verbatim.",
    "Hedged: 'reportedly'.",
    "Contrast with the opposition's account later in the piece.",
    "Official position, restated without challenge.",
    "Context missing: no date for the event referred to.",
    "Strong wording; compare the wire copy.",
]


@dataclass(frozen=True)
class BaseText:
    title: str
    source: str
    url: str
    paragraphs: tuple[str, ...]


def load_base_texts() -> list[BaseText]:
    """Every distinct article text on hand: extraction ground truth, then the samples."""
    seen: set[str] = set()
    bases: list[BaseText] = []
    for truth in sorted(SHARED.glob("extraction-bench/dev*/ground-truth.json")):
        for key, entry in json.loads(truth.read_text(encoding="utf-8")).items():
            body = (entry.get("articleBody") or "").strip()
            paragraphs = tuple(p.strip() for p in body.split("\n\n") if p.strip())
            if len(paragraphs) < 3 or body in seen:
                continue
            seen.add(body)
            title = " ".join(WORDS.findall(paragraphs[0])[:10]) or key[:12]
            bases.append(
                BaseText(title, entry.get("source") or "bench", entry.get("url") or "", paragraphs)
            )
    from reader.importing.pipeline import detect_kind, prepare_text

    for sample in sorted((SHARED / "samples").glob("*.*")):
        if sample.suffix not in (".html", ".txt"):
            continue
        raw = sample.read_text(encoding="utf-8", errors="replace")
        try:
            prepared = prepare_text(raw, kind=detect_kind(raw, filename=sample.name))
        except Exception:  # noqa: BLE001 - a sample the pipeline refuses is just not used
            continue
        paragraphs = tuple(p for p in prepared.text.split("\n\n") if p.strip())
        if len(paragraphs) >= 3 and prepared.text not in seen:
            seen.add(prepared.text)
            bases.append(BaseText(prepared.title or sample.stem, "samples", "", paragraphs))
    return bases


@dataclass(frozen=True)
class Body:
    html: str
    text: str


def assemble(blocks: list) -> Body:
    """Body HTML and canonical text from already-sanitized blocks, as build_body joins them."""
    from reader.importing.sanitize import BLOCK_SEPARATOR

    parts, offset = [], 0
    for block in blocks:
        parts.append(f'<{block.kind} data-offset="{offset}">{block.html}</{block.kind}>')
        offset += len(block.text) + len(BLOCK_SEPARATOR)
    return Body("\n".join(parts), BLOCK_SEPARATOR.join(b.text for b in blocks))


def sanitized_blocks(base: BaseText) -> list:
    from reader.importing.sanitize import build_body

    return list(build_body(("p", html.escape(p)) for p in base.paragraphs).blocks)


def variant(blocks: list, number: int) -> Body:
    """Article ``number``: a dateline block, then the paragraphs rotated by its round."""
    from reader.importing.sanitize import normalize_block

    rotation = (number // 7) % len(blocks)
    dateline = normalize_block("p", f"Bench dispatch {number}.")
    return assemble([dateline, *blocks[rotation:], *blocks[:rotation]])


def spans(text: str, count: int, rng: random.Random) -> Iterator[tuple[int, int]]:
    """``count`` selections of 2–40 whole words, each inside one paragraph."""
    words = [(m.start(), m.end()) for m in WORDS.finditer(text)]
    if len(words) < 2:
        return
    for _ in range(count):
        first = rng.randrange(len(words) - 1)
        last = min(len(words) - 1, first + rng.choice((1, 2, 4, 6, 9, 14, 20, 30, 39)))
        start, end = words[first][0], words[last][1]
        # Blocks are trimmed, so a paragraph's end is a clean end for the selection.
        cut = text.find("\n\n", start, end)
        yield start, (end if cut == -1 else cut)


class AnnotationWriter:
    """Buffers annotation and tag rows; writes them with executemany or COPY."""

    COLUMNS = (
        "id",
        "article_id",
        "user_id",
        "start",
        "end",
        "quote",
        "prefix",
        "suffix",
        "note",
        "visibility",
        "anchor_status",
        "created",
        "updated",
        "version",
        "article_version",
        "original_quote",
        "source_id",
        "imported",
        "codebook_version",
    )

    def __init__(self, batch: int = 20_000) -> None:
        from django.db import connection

        self.connection = connection
        self.batch = batch
        self.rows: list[tuple] = []
        self.tags: list[tuple] = []
        self.written = 0
        self.postgres = connection.vendor == "postgresql"
        quote = connection.ops.quote_name
        self.annotation_columns = ", ".join(quote(c) for c in self.COLUMNS)
        self.annotation_sql = (
            f"INSERT INTO annotations_annotation ({self.annotation_columns}) "
            f"VALUES ({', '.join(['%s'] * len(self.COLUMNS))})"
        )
        self.tag_sql = (
            "INSERT INTO annotations_annotationstance (annotation_id, stance_id) VALUES (%s, %s)"
        )

    def uuid_value(self, value: uuid.UUID):
        return value if self.postgres else value.hex

    def time_value(self, value: dt.datetime):
        return value if self.postgres else self.connection.ops.adapt_datetimefield_value(value)

    def add(self, row: tuple, stance_ids: list[int]) -> None:
        self.rows.append(row)
        self.tags.extend((row[0], s) for s in stance_ids)
        if len(self.rows) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        with self.connection.cursor() as cursor:
            if self.postgres:
                raw = cursor.cursor
                with raw.copy(
                    f"COPY annotations_annotation ({self.annotation_columns}) FROM STDIN"
                ) as copy:
                    for row in self.rows:
                        copy.write_row(row)
                with raw.copy(
                    "COPY annotations_annotationstance (annotation_id, stance_id) FROM STDIN"
                ) as copy:
                    for tag in self.tags:
                        copy.write_row(tag)
            else:
                cursor.executemany(self.annotation_sql, self.rows)
                cursor.executemany(self.tag_sql, self.tags)
        self.written += len(self.rows)
        self.rows, self.tags = [], []


def project_slug(number: int) -> str:
    return f"bench-p{number:03d}"


def teams(projects: int, users: list) -> list[list]:
    """The members of each project: the hot article's team first, then teams of TEAM."""
    if projects == 1:
        return [list(users)]
    made = [list(users[:HOT_USERS])]
    for number in range(1, projects):
        made.append([users[(number * TEAM + j) % len(users)] for j in range(TEAM)])
    return made


def make_projects(projects: int, users: list) -> list:
    """``projects`` projects with the default codebook at version 1 and their teams."""
    from annotations.models import Stance
    from projects import codebook
    from projects.models import CodebookVersion, Membership, Project, Role
    from projects.services import DEFAULT_CODEBOOK, default_project

    if projects == 1:
        # The room of before projects: everything in the default project (made by the
        # migrations with today's stances), everyone a member.
        rooms = [default_project()]
    else:
        rooms = Project.objects.bulk_create(
            Project(name=f"Bench project {n}", slug=project_slug(n), created_by=users[0])
            for n in range(projects)
        )
        Stance.objects.bulk_create(
            Stance(project=room, name=n, description=d, colour=c, hotkey=k, order=i)
            for room in rooms
            for i, (n, d, c, k) in enumerate(DEFAULT_CODEBOOK)
        )
    for room in rooms:
        snapshot = codebook.snapshot(Stance.objects.filter(project=room))
        CodebookVersion.objects.update_or_create(
            project=room,
            number=1,
            defaults={"snapshot": snapshot, "change": "The default codebook."},
        )
    Project.objects.filter(pk__in=[r.pk for r in rooms]).update(codebook_version=1)
    members = teams(projects, users)
    Membership.objects.bulk_create(
        Membership(
            project=room, user=user, role=Role.MANAGER if user == team[0] else Role.ANNOTATOR
        )
        for room, team in zip(rooms, members, strict=True)
        for user in team
    )
    return rooms


def seed(
    *, articles: int, annotations: int, rng: random.Random, projects: int = 1, log=print
) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from annotations.models import Stance
    from reader.models import Article, text_digest

    began = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    migrated = time.perf_counter()

    bases = load_base_texts()
    blocks = [sanitized_blocks(b) for b in bases]
    now = timezone.now()
    User = get_user_model()
    password = make_password(USER_PASSWORD)
    users = User.objects.bulk_create(
        [User(username=f"bench{n:02d}", password=password) for n in range(1, USERS + 1)]
    )
    projects = max(1, min(projects, articles))
    rooms = make_projects(projects, users)
    members = teams(projects, users)
    stance_ids: dict[int, list[int]] = {}
    for project_id, pk in Stance.objects.filter(project__in=rooms).values_list("project", "pk"):
        stance_ids.setdefault(project_id, []).append(pk)

    # The hot article is the base text closest to 8,000 characters: a long read.
    hot_index = min(
        range(len(bases)), key=lambda i: abs(sum(len(p) for p in bases[i].paragraphs) - 8000)
    )
    hot_body = assemble(blocks[hot_index])

    def article(number: int, base: BaseText, body: Body, room=None, **extra) -> Article:
        published = now - dt.timedelta(minutes=rng.randrange(60 * 24 * 900))
        fields = {
            "title": f"{base.title} ({number})"[:500],
            "source_name": base.source,
            "source_url": f"{base.url or 'https://bench.invalid/' + str(number)}#bench-{number}",
            "slug": f"bench-{number}",
            "body_html": body.html,
            "text": body.text,
            "text_hash": text_digest(body.text),
            "word_count": len(WORDS.findall(body.text)),
            "raw_input": b"",
            "raw_kind": "text",
            "published": published,
            "project": room,
        }
        fields.update(extra)
        return Article(**fields)

    with transaction.atomic():
        hot = article(
            0, bases[hot_index], hot_body, rooms[0], slug=HOT_SLUG, title="Bench hot article"
        )
        cold = article(
            -1,
            bases[hot_index],
            hot_body,
            rooms[0],
            slug=COLD_SLUG,
            title="Bench cold twin",
            text_hash=hashlib.sha256(b"cold twin\0" + hot_body.text.encode()).hexdigest(),
        )
        corpus_articles = [hot, cold]
        for number in range(1, max(0, articles - 2) + 1):
            index = number % len(bases)
            # Projects of equal size, the first holding the hot article and its twin.
            room = rooms[(number + 1) * projects // articles]
            corpus_articles.append(
                article(number, bases[index], variant(blocks[index], number), room)
            )
        Article.objects.bulk_create(corpus_articles, batch_size=500)
    stored_articles = time.perf_counter()
    log(
        f"  {len(corpus_articles):,} articles in {projects} projects, {len(users)} users "
        f"in {stored_articles - migrated:.1f}s"
    )

    writer = AnnotationWriter()
    two_years = 60 * 60 * 24 * 730
    shared, private = "shared", "private"

    team_of = {room.pk: team for room, team in zip(rooms, members, strict=True)}

    def write(article_row: Article, count: int, authors: list | None = None) -> None:
        text = article_row.text
        authors = authors or team_of[article_row.project_id]
        stances = stance_ids[article_row.project_id]
        for start, end in spans(text, count, rng):
            created = now - dt.timedelta(seconds=rng.randrange(two_years))
            roll = rng.random()
            tags = [] if roll < 0.15 else rng.sample(stances, 2 if roll > 0.85 else 1)
            writer.add(
                (
                    writer.uuid_value(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    article_row.pk,
                    rng.choice(authors).pk,
                    start,
                    end,
                    text[start:end],
                    text[max(0, start - 32) : start],
                    text[end : end + 32],
                    rng.choice(NOTES) if rng.random() < 0.3 else "",
                    private if rng.random() < 0.1 else shared,
                    "moved" if rng.random() < 0.01 else "anchored",
                    writer.time_value(created),
                    writer.time_value(created + dt.timedelta(seconds=rng.randrange(3600))),
                    1,
                    1,
                    "",
                    "",
                    False,
                    1,
                ),
                tags,
            )

    with transaction.atomic():
        hot_count = min(HOT_ANNOTATIONS, annotations)
        write(hot, hot_count, users[:HOT_USERS])
        rest = annotations - hot_count
        corpus = corpus_articles[2:]
        if corpus and rest > 0:
            # Uneven like real coding work: a few articles carry many annotations.
            weights = [rng.paretovariate(1.5) for _ in corpus]
            total = sum(weights)
            counts = [int(rest * w / total) for w in weights]
            counts[0] += rest - sum(counts)
            for article_row, count in zip(corpus, counts, strict=True):
                if count:
                    write(article_row, count)
        writer.flush()
    stored_annotations = time.perf_counter()
    log(f"  {writer.written:,} annotations in {stored_annotations - stored_articles:.1f}s")
    with connection.cursor() as cursor:
        # What autovacuum does soon after a bulk load on a live site: without it
        # the GIN search index keeps its pending list and the planner scans the table.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {
        "articles": len(corpus_articles),
        "projects": projects,
        "users": len(users),
        "annotations": writer.written,
        "seconds": round(time.perf_counter() - began, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=benchenv.DATABASES, required=True)
    parser.add_argument("--name", default="stance_bench", help="database name (stance_bench*)")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full corpus")
    parser.add_argument("--articles", type=int, help="article count (default 10,000 × scale)")
    parser.add_argument(
        "--annotations", type=int, help="annotation count (default 1,000,000 × scale)"
    )
    parser.add_argument(
        "--projects",
        type=int,
        help=f"projects of {ARTICLES_PER_PROJECT} articles by default; 1: the single room of "
        "before projects",
    )
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args(argv)
    articles = args.articles if args.articles is not None else max(100, round(10_000 * args.scale))
    annotations = (
        args.annotations
        if args.annotations is not None
        else max(2_000, round(1_000_000 * args.scale))
    )
    projects = (
        args.projects
        if args.projects is not None
        else max(1, round(articles / ARTICLES_PER_PROJECT))
    )
    benchenv.recreate_database(args.db, args.name)
    benchenv.setup_django(args.db, args.name)
    print(
        f"Seeding {args.db} {args.name}: {articles:,} articles in {projects} projects, "
        f"{annotations:,} annotations"
    )
    summary = seed(
        articles=articles,
        annotations=annotations,
        rng=random.Random(args.seed),
        projects=projects,
    )
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
