"""Annotations as CSV: the filters, the one query, the rows, the streaming writer.

The web export (``export_views``) and ``manage.py export_annotations`` both call
:func:`csv_chunks`, so the two give the same bytes for the same filters and user.

One query carries everything: the annotation joined to its article and user and,
through a LEFT JOIN, to its stances, ordered so that the stances of one annotation
are consecutive. The "long" layout writes each joined row; the "wide" layout merges
consecutive rows of one annotation. The query is read through a chunked cursor, so
memory stays flat and the number of queries does not depend on the number of rows.

On PostgreSQL the CSV rows come from the database itself: one ``COPY (…) TO STDOUT
WITH (FORMAT csv)`` whose SELECT applies the same cell rules (:func:`copy_sql`), so
Python passes blocks on instead of taking turns with the server chunk by chunk. Its
bytes are those of the Python path, which stays the reference (and the path on
SQLite); ``tests/test_export_csv.py`` compares the two.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import io
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import F, Func, QuerySet, TextField, Value
from django.db.models.functions import Cast, Coalesce, Concat, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from projects.models import CodebookVersion, Project
from reader.models import Article

from .models import Annotation, AnnotationStance, Stance

COLUMNS = (
    "annotation_id",
    "project",
    "article_id",
    "article_title",
    "article_url",
    "source",
    "published",
    "user",
    "stances",
    "quote",
    "prefix",
    "suffix",
    "start",
    "end",
    "note",
    "visibility",
    "anchor_status",
    "created_at",
    "updated_at",
    "codebook_version",
    "layer",
    "article_version",
    "stances_as_coded",
)
# The layer of a row: a coder's annotation, or the project's gold (studies' adjudication).
CODER = "coder"
GOLD = "gold"
# The long layout has one stance per row, so its column is named for one.
LONG_COLUMNS = tuple(
    {"stances": "stance", "stances_as_coded": "stance_as_coded"}.get(c, c) for c in COLUMNS
)
STANCE_SEPARATOR = "; "
WIDE = "wide"
LONG = "long"
MINE = "mine"
ALL = "all"
BOM = "\ufeff"

# OWASP's CSV-injection list plus ASVS 1.2.10's: a spreadsheet treats a cell that
# begins with one of these as a formula (or strips the control character and then
# does). A leading apostrophe makes it text and is hidden by the spreadsheet.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\n\0")

CHUNK_ROWS = 2000
FLUSH_CHARS = 64 * 1024

# The joined columns of each database row, in order: fields, then the times (added as
# expressions, which SQL lists after the fields).
ROW_FIELDS = (
    "id",
    "article_id",
    "article__title",
    "article__source_url",
    "article__slug",
    "article__source_name",
    "user__username",
    "quote",
    "prefix",
    "suffix",
    "start",
    "end",
    "note",
    "visibility",
    "anchor_status",
    "tags__stance__name",
    "article__project__slug",
    "codebook_version",
    "article_version",
    "tags__stance_id",
    "article__project_id",
)
TIME_FIELDS = ("article__published", "created", "updated")
STANCE = 15
CODEBOOK = 17
STANCE_ID = 19
PROJECT_ID = 20
PG_ISO_UTC = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
ORDERING = (
    "article_id",
    "start",
    "end",
    "created",
    "id",
    "tags__stance__order",
    "tags__stance__name",
)


class FilterError(ValueError):
    """Filters that cannot be applied; the message is shown to the person."""


@dataclass(frozen=True)
class ExportOptions:
    project: Project | None = None
    # Several projects (the command's --project given more than once).
    project_ids: tuple[int, ...] | None = None
    article: Article | None = None
    author: Any = None  # a user
    stance: Stance | None = None
    visibility: str = ALL
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    layout: str = WIDE
    bom: bool = False
    # Every cell exactly as stored, for pandas and R: no apostrophe before a formula.
    raw: bool = False


BOOLEAN_CHOICES = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


class ExportFilterForm(forms.Form):
    """The query parameters of both exports, and the options of both commands."""

    article = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    user = forms.CharField(required=False, max_length=150)
    author = forms.CharField(required=False, max_length=150)
    stance = forms.CharField(required=False, max_length=80)
    visibility = forms.ChoiceField(required=False, choices=[(MINE, MINE), (ALL, ALL)])
    date_from = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    date_to = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    layout = forms.ChoiceField(required=False, choices=[(WIDE, WIDE), (LONG, LONG)])
    bom = forms.CharField(required=False)
    raw = forms.CharField(required=False)

    def __init__(
        self, data: Mapping[str, str], *, projects: QuerySet[Project] | None = None
    ) -> None:
        # "from" is a Python keyword, so the form's fields carry other names.
        renamed = {"date_from": data.get("from"), "date_to": data.get("to")}
        super().__init__({**{k: v for k, v in data.items() if v is not None}, **renamed})
        # The projects whose articles and codebooks the filters may name (None: all, for
        # the command's staff tooling). An article elsewhere is as unknown as a missing one.
        self.projects = projects

    def _in_projects(self, queryset: QuerySet) -> QuerySet:
        if self.projects is None:
            return queryset
        return queryset.filter(project__in=self.projects)

    def clean_article(self) -> Article | None:
        pk = self.cleaned_data["article"]
        if pk is None:
            return None
        article = self._in_projects(Article.objects.only("id", "slug")).filter(pk=pk).first()
        if article is None:
            raise forms.ValidationError(f"No article with id {pk}.")
        return article

    def clean_stance(self) -> Stance | None:
        value = self.cleaned_data["stance"].strip()
        if not value:
            return None
        codebook = list(self._in_projects(Stance.objects.order_by("order", "name", "pk")))
        stance = next((s for s in codebook if s.name == value), None) or next(
            (s for s in codebook if s.name.casefold() == value.casefold()), None
        )
        if stance is None and value.isascii() and value.isdigit() and len(value) <= 18:
            stance = next((s for s in codebook if s.pk == int(value)), None)
        if stance is None:
            known = ", ".join(dict.fromkeys(s.name for s in codebook))
            raise forms.ValidationError(
                f"No stance with id or name “{value}”. The stances are: {known}."
            )
        return stance

    def _switch(self, name: str, meaning: str) -> bool:
        value = self.cleaned_data[name].strip().lower()
        if not value:
            return False
        if value not in BOOLEAN_CHOICES:
            raise forms.ValidationError(f"Use {name}=1 for {meaning}, {name}=0 for none.")
        return BOOLEAN_CHOICES[value]

    def clean_bom(self) -> bool:
        return self._switch("bom", "a byte-order mark")

    def clean_raw(self) -> bool:
        return self._switch("raw", "cells exactly as stored")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        names = {n.strip() for n in (data.get("user"), data.get("author")) if n and n.strip()}
        if len(names) > 1:
            raise forms.ValidationError("“user” and “author” name different people; give one.")
        if names:
            (name,) = names
            author = get_user_model().objects.filter(username=name).first()
            if author is None:
                self.add_error("user", f"No user named “{name}”.")
            data["author"] = author
        else:
            data["author"] = None
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_to is not None and date_to >= dt.date.max:
            self.add_error("date_to", "Give a day before 9999-12-31.")
        if date_from and date_to and date_from > date_to:
            raise forms.ValidationError("“from” is after “to”: no day can be in that range.")
        return data

    def options(self) -> ExportOptions:
        if not self.is_valid():
            raise FilterError(self.error_text())
        data = self.cleaned_data
        return ExportOptions(
            article=data["article"],
            author=data["author"],
            stance=data["stance"],
            visibility=data["visibility"] or ALL,
            date_from=data["date_from"],
            date_to=data["date_to"],
            layout=data["layout"] or WIDE,
            bom=data["bom"],
            raw=data["raw"],
        )

    def error_text(self) -> str:
        public_names = {"date_from": "from", "date_to": "to"}
        parts = []
        for field, errors in self.errors.items():
            label = "" if field == "__all__" else f"{public_names.get(field, field)}: "
            parts.append(label + " ".join(errors))
        return "Invalid export filter. " + "; ".join(parts)


def parse_options(
    params: Mapping[str, str],
    *,
    project: Project | None = None,
    projects: QuerySet[Project] | None = None,
    project_ids: tuple[int, ...] | None = None,
) -> ExportOptions:
    """The export's options; ``project`` limits it to one project and ``project_ids`` to
    several; ``projects`` says which projects the filters may name."""
    if project is not None:
        projects = Project.objects.filter(pk=project.pk)
    options = ExportFilterForm(params, projects=projects).options()
    return dataclasses.replace(options, project=project, project_ids=project_ids)


def annotations_for(*, viewer, options: ExportOptions) -> QuerySet[Annotation]:
    """What ``viewer`` may export under ``options``.

    ``viewer=None`` is the command's staff view: every shared annotation. Nobody,
    staff included, exports another person's private annotations.
    """
    if viewer is None:
        if options.visibility == MINE:
            raise FilterError("Invalid export filter. visibility: “mine” needs a user (--user).")
        annotations = Annotation.objects.filter(visibility=Annotation.Visibility.SHARED)
    elif options.visibility == MINE:
        annotations = Annotation.objects.owned_by(viewer)
    else:
        annotations = Annotation.objects.visible_to(viewer)
    if options.author is not None:
        annotations = annotations.filter(user_id=options.author.pk)
    return shared_filters(
        annotations, options, tags=AnnotationStance.objects, tagged="annotation_id"
    )


def shared_filters(rows: QuerySet, options: ExportOptions, *, tags, tagged: str) -> QuerySet:
    """The filters the coders' annotations and the gold layer share: projects, article,
    stance and dates. ``tags`` holds the rows' stance links, ``tagged`` names their row."""
    if options.project is not None:
        rows = rows.filter(article__project_id=options.project.pk)
    if options.project_ids is not None:
        rows = rows.filter(article__project_id__in=options.project_ids)
    if options.article is not None:
        rows = rows.filter(article_id=options.article.pk)
    if options.stance is not None:
        # Chooses rows; each keeps all of its stances in the export.
        # By name across projects: each project has its own "Russia".
        chosen = tags.filter(stance__name=options.stance.name).values(tagged)
        rows = rows.filter(pk__in=chosen)
    if options.date_from is not None:
        rows = rows.filter(created__gte=_day_start(options.date_from))
    if options.date_to is not None:
        rows = rows.filter(created__lt=_day_start(options.date_to + dt.timedelta(days=1)))
    return rows


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def joined_rows(annotations: QuerySet[Annotation]) -> Iterator[tuple]:
    """One database row per annotation × stance (stance ``None`` when it has none): the
    values of ``ROW_FIELDS`` then ``TIME_FIELDS``, as the database driver gives them.

    The ORM's per-value converters (UUID objects; on SQLite, datetimes parsed from text)
    cost more than the rest of the row, and the export wants text, so the rows are read
    raw and :func:`uuid_text` and :func:`time_text` make text of them once. The chunked
    cursor is the one ``.iterator()`` uses: server-side on PostgreSQL.
    """
    connection = connections[annotations.db]
    sql, params = joined_sql(annotations)
    # On PostgreSQL, a transaction lets the server-side cursor go without WITH HOLD, so
    # rows stream from the running query instead of being materialized first (and the
    # file is one snapshot). Not on SQLite: its transactions here take the write lock.
    snapshot = (
        transaction.atomic(using=annotations.db)
        if connection.vendor == "postgresql"
        else contextlib.nullcontext()
    )
    with snapshot, connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK_ROWS):
            yield from rows


def joined_sql(annotations: QuerySet[Annotation]) -> tuple[str, tuple]:
    """The SQL that :func:`joined_rows` reads, and its parameters."""
    vendor = connections[annotations.db].vendor
    fields: tuple = ROW_FIELDS
    if vendor == "sqlite":
        # As text, SQLite's stored UTC string skips the driver's datetime converter.
        times = {f"t{n}": Cast(name, TextField()) for n, name in enumerate(TIME_FIELDS)}
    elif vendor == "postgresql":
        # PostgreSQL writes the text itself, faster than the driver can make datetime
        # and UUID objects for Python to format again.
        times = {f"t{n}": Func(F(name), template=PG_ISO_UTC, output_field=TextField())
                 for n, name in enumerate(TIME_FIELDS)}  # fmt: skip
        annotations = annotations.annotate(id_text=Cast("id", TextField()))
        fields = ("id_text", *ROW_FIELDS[1:])
    else:
        times = {f"t{n}": F(name) for n, name in enumerate(TIME_FIELDS)}
    query = annotations.order_by(*ORDERING).annotate(**times).values_list(*fields, *times)
    return query.query.sql_with_params()


def uuid_text(value: uuid.UUID | str) -> str:
    if isinstance(value, str) and len(value) == 32:  # SQLite stores the hex digits
        return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"
    return str(value)


def time_text(value: dt.datetime | str | None, timespec: str = "microseconds") -> str:
    """ISO 8601 in UTC with a ``Z``: ``2024-03-01T12:00:00.000000Z`` (or to the second)."""
    if value is None:
        return ""
    if isinstance(value, str):
        if len(value) == 27 and value[10] == "T" and value[-1] == "Z":  # already ISO (PostgreSQL)
            return value if timespec == "microseconds" else value[:19] + "Z"
        # SQLite holds UTC as "YYYY-MM-DD HH:MM:SS[.ffffff]".
        if len(value) == 26 and value[10] == " " and timespec == "microseconds":
            return f"{value[:10]}T{value[11:]}Z"
        parsed = parse_datetime(value)
        if parsed is None:
            return value
        value = parsed
    if value.tzinfo is not None and value.utcoffset():
        value = value.astimezone(dt.UTC)
    return value.replace(tzinfo=None).isoformat(timespec=timespec) + "Z"


def columns(layout: str) -> tuple[str, ...]:
    return LONG_COLUMNS if layout == LONG else COLUMNS


def safe_cell(value: str) -> str:
    if value and value[0] in FORMULA_TRIGGERS:
        return "'" + value
    return value


def article_url_builder(base_url: str) -> Callable[[str | None, str, str], str]:
    """The article's source URL, or else its reading page on this site.

    ``base_url`` is the scheme and host (``https://reader.example``) or ``""`` for a
    site-relative path.
    """
    head, middle, tail = reading_page_pattern()
    base = base_url.rstrip("/")

    def build(source_url: str | None, project: str, slug: str) -> str:
        return source_url or f"{base}{head}{project}{middle}{slug}{tail}"

    return build


def reading_page_pattern() -> tuple[str, str, str]:
    """The reading page's address around its project and article slugs."""
    pattern = reverse(
        "reader:article_detail", kwargs={"project": "__project__", "slug": "__slug__"}
    )
    head, _, rest = pattern.partition("__project__")
    middle, _, tail = rest.partition("__slug__")
    return head, middle, tail


def csv_rows(
    rows: Iterable[tuple], *, layout: str, base_url: str, layer: str = CODER, raw: bool = False
) -> Iterator[list[str]]:
    """The CSV cells as text from ``joined_rows`` (or ``gold_rows``): spreadsheet-safe, or
    with ``raw`` exactly as stored."""
    article_url = article_url_builder(base_url)
    article_cells: tuple[int, list[str]] | None = None

    triggers = frozenset() if raw else FORMULA_TRIGGERS
    safe = str if raw else safe_cell

    def row_cells(row: tuple, stances: str, coded: str) -> list[str]:
        # The hot loop of every export: safe_cell, uuid_text and time_text written out
        # inline, which makes the whole export about a sixth faster.
        nonlocal article_cells
        (pk, article_id, title, source_url, slug, source, username, quote, prefix, suffix,
         start, end, note, visibility, anchor_status, _stance, project, codebook_version,
         article_version, _stance_id, _project_id, published, created, updated) = row  # fmt: skip
        # Rows come grouped by article, so its cells are built once per run of rows.
        if article_cells is None or article_cells[0] != article_id:
            article_cells = (
                article_id,
                [
                    project,
                    str(article_id),
                    safe(title),
                    safe(article_url(source_url, project, slug)),
                    safe(source),
                    time_text(published, "seconds"),
                ],
            )
        return [
            f"{pk[:8]}-{pk[8:12]}-{pk[12:16]}-{pk[16:20]}-{pk[20:]}"
            if type(pk) is str and len(pk) == 32
            else str(pk),
            *article_cells[1],
            "'" + username if username and username[0] in triggers else username,
            "'" + stances if stances and stances[0] in triggers else stances,
            "'" + quote if quote and quote[0] in triggers else quote,
            "'" + prefix if prefix and prefix[0] in triggers else prefix,
            "'" + suffix if suffix and suffix[0] in triggers else suffix,
            str(start),
            str(end),
            "'" + note if note and note[0] in triggers else note,
            visibility,
            anchor_status,
            f"{created[:10]}T{created[11:]}Z"
            if type(created) is str and len(created) == 26
            else created
            if type(created) is str and len(created) == 27
            else time_text(created),
            f"{updated[:10]}T{updated[11:]}Z"
            if type(updated) is str and len(updated) == 26
            else updated
            if type(updated) is str and len(updated) == 27
            else time_text(updated),
            "" if codebook_version is None else str(codebook_version),
            layer,
            str(article_version),
            "'" + coded if coded and coded[0] in triggers else coded,
        ]

    as_coded = CodedNames()
    if layout == LONG:
        for row in rows:
            stance = row[STANCE] or ""
            yield row_cells(row, stance, as_coded.cell(row, (row[STANCE_ID],), (stance,), stance))
        return
    for row, names, ids in grouped(rows):
        stances = STANCE_SEPARATOR.join(names)
        yield row_cells(row, stances, as_coded.cell(row, ids, names, stances))


class CodedNames:
    """For the ``stances_as_coded`` column: a stance's name as the codebook called it in the
    version the annotation was made under (codebook.json of that version), where it differs
    from today's. A stance that version did not have, and an annotation without a version,
    keep today's name. Read once per project and version; most rows find nothing renamed
    and reuse the ``stances`` cell as it is."""

    def __init__(self) -> None:
        self.by_version: dict[tuple[int, int], dict[int, str]] = {}

    def cell(self, row: tuple, ids, names, stances: str) -> str:
        """The row's ``stances_as_coded`` cell; ``stances`` is its ``stances`` cell, returned
        as it is when nothing was renamed (most rows: one dict lookup)."""
        if not stances or row[CODEBOOK] is None:
            return stances
        renamed = self.renamed(row[PROJECT_ID], row[CODEBOOK])
        if not renamed:
            return stances
        return STANCE_SEPARATOR.join(renamed.get(i, n) for i, n in zip(ids, names, strict=True))

    def renamed(self, project_id: int, version: int) -> dict[int, str]:
        """{stance id: the name at that version} for the stances renamed since."""
        key = (project_id, version)
        found = self.by_version.get(key)
        if found is None:
            from projects.codebook import names_by_id
            from projects.models import CodebookVersion

            snapshot = (
                CodebookVersion.objects.filter(project_id=key[0], number=key[1])
                .values_list("snapshot", flat=True)
                .first()
            )
            now = dict(Stance.objects.filter(project_id=key[0]).values_list("pk", "name"))
            found = self.by_version[key] = {
                pk: name
                for pk, name in names_by_id(snapshot or {}).items()
                if pk in now and now[pk] != name
            }
        return found


def grouped(rows: Iterable[tuple]) -> Iterator[tuple[tuple, list[str], list[int]]]:
    """Each annotation's first joined row with the names and ids of all its stances, in
    order."""
    current: tuple | None = None
    names: list[str] = []
    ids: list[int] = []
    for row in rows:
        if current is not None and row[0] == current[0]:
            names.append(row[STANCE])
            ids.append(row[STANCE_ID])
            continue
        if current is not None:
            yield current, names, ids
        current = row
        if row[STANCE] is not None:
            names, ids = [row[STANCE]], [row[STANCE_ID]]
        else:
            names, ids = [], []
    if current is not None:
        yield current, names, ids


def gold_rows(*, viewer, options: ExportOptions) -> Iterator[tuple]:
    """The gold layer (studies.GoldAnnotation) under the same filters, as rows shaped like
    :func:`joined_rows`' (one per gold annotation × stance), the curator as the user.

    Gold is nobody's own work, so ``visibility=mine`` and an author filter leave it out.
    """
    from django.apps import apps

    if options.visibility == MINE or options.author is not None:
        return
    model = apps.get_model("studies", "GoldAnnotation")
    gold = model.objects.all() if viewer is None else model.objects.visible_to(viewer)
    gold = shared_filters(
        gold, options, tags=model.stances.through.objects, tagged="goldannotation_id"
    )
    gold = (
        gold.select_related("article__project", "curator")
        .defer("article__raw_input", "article__body_html", "article__cleaning_report")
        .prefetch_related("stances")
        .order_by("article_id", "start", "end", "created", "id")
    )
    context = Annotation._meta.get_field("prefix").max_length
    for g in gold.iterator(chunk_size=CHUNK_ROWS):
        a = g.article
        tags = [(s.pk, s.name) for s in g.stances.all()] or [(None, None)]
        for stance_id, name in tags:
            yield (
                g.pk, a.pk, a.title, a.source_url, a.slug, a.source_name,
                g.curator.username if g.curator else "", g.quote,
                a.text[max(0, g.start - context):g.start], a.text[g.end:g.end + context],
                g.start, g.end, g.note, Annotation.Visibility.SHARED,
                Annotation.AnchorStatus.ANCHORED, name, a.project.slug, None, a.version,
                stance_id, a.project_id, a.published, g.created, g.created,
            )  # fmt: skip


def csv_chunks(*, viewer, options: ExportOptions, base_url: str = "") -> Iterator[bytes]:
    """The whole file as UTF-8 byte chunks of about ``FLUSH_CHARS`` characters: the coders'
    annotations, then the gold layer."""
    annotations = annotations_for(viewer=viewer, options=options)
    gold = gold_rows(viewer=viewer, options=options)
    if connections[annotations.db].vendor == "postgresql":
        yield from copied_csv_chunks(annotations, options=options, base_url=base_url)
    else:
        yield from python_csv_chunks(annotations, options=options, base_url=base_url)
    yield from python_csv_lines(
        csv_rows(gold, layout=options.layout, base_url=base_url, layer=GOLD, raw=options.raw)
    )


def python_csv_chunks(
    annotations: QuerySet[Annotation], *, options: ExportOptions, base_url: str = ""
) -> Iterator[bytes]:
    """The file as ``csv.writer`` (excel dialect) writes :func:`csv_rows`: the path on
    SQLite, and the reference for the others."""
    head = io.StringIO()
    if options.bom:
        head.write(BOM)
    csv.writer(head).writerow(columns(options.layout))
    rows = csv_rows(
        joined_rows(annotations), layout=options.layout, base_url=base_url, raw=options.raw
    )
    yield from python_csv_lines(rows, head=head.getvalue())


def python_csv_lines(cells_of_rows: Iterable[list[str]], *, head: str = "") -> Iterator[bytes]:
    """``head``, then the rows as the excel dialect writes them, in chunks.

    The dialect's rule is written out, because ``csv.writer`` spends more on each row
    than everything else the export does: a cell is quoted, its double quotes doubled,
    when it holds a comma, a double quote, CR or LF; lines end with CRLF. The tests
    hold these bytes to ``csv.writer``'s own.
    """
    buffer = io.StringIO()
    write = buffer.write
    write(head)
    for cells in cells_of_rows:
        write(
            ",".join(
                '"' + cell.replace('"', '""') + '"'
                if "," in cell or '"' in cell or "\n" in cell or "\r" in cell
                else cell
                for cell in cells
            )
        )
        write("\r\n")
        if buffer.tell() >= FLUSH_CHARS:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def copied_csv_chunks(
    annotations: QuerySet[Annotation], *, options: ExportOptions, base_url: str = ""
) -> Iterator[bytes]:
    """The bytes of :func:`python_csv_chunks`, formatted by PostgreSQL's ``COPY``.

    PostgreSQL's CSV quotes exactly when ``csv.writer`` does (a comma, a double quote,
    CR or LF; quotes doubled) and writes NULL as an empty cell, so the SELECT turns
    empty text into NULL (an empty *string* it would quote). What remains is the line
    end: COPY ends a row with LF where the excel dialect has CRLF. The protocol sends
    each row in a CopyData message of its own, so the LF that ends a message is the
    row's end, never one inside a quoted cell.
    """
    head = ((BOM if options.bom else "") + ",".join(columns(options.layout))).encode("utf-8")
    try:
        sql, params = copy_sql(
            annotations, layout=options.layout, base_url=base_url, raw=options.raw
        )
    except EmptyResultSet:  # filters that can match nothing
        yield head + b"\r\n"
        return
    connection = connections[annotations.db]
    statement = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
    # A COPY stopped midway (the download cancelled) is cancelled on the server, which
    # aborts the transaction around it: let that be one of its own, or a savepoint.
    with (
        transaction.atomic(using=annotations.db),
        connection.cursor() as cursor,
        connection.wrap_database_errors,
    ):
        # Under DEBUG (and in tests that count queries) the COPY is logged like a query.
        logged = getattr(cursor, "debug_sql", None)
        with (
            logged(statement, params) if logged else contextlib.nullcontext(),
            cursor.cursor.copy(statement, params) as copy,
        ):
            lines: list[Any] = [head]
            size = len(head)
            for row in copy:
                lines.append(row[:-1])
                size += len(row)
                if size >= FLUSH_CHARS:
                    lines.append(b"")
                    yield b"\r\n".join(lines)
                    lines.clear()
                    size = 0
            lines.append(b"")
            yield b"\r\n".join(lines)


# The columns of copy_sql's inner SELECT, named for the outer one.
COPY_FIELDS = {
    "x_id": "id",
    "x_project": "article__project__slug",
    "x_article": "article_id",
    "x_title": "article__title",
    "x_source": "article__source_name",
    "x_published": "article__published",
    "x_user": "user__username",
    "x_quote": "quote",
    "x_prefix": "prefix",
    "x_suffix": "suffix",
    "x_start": "start",
    "x_end": "end",
    "x_note": "note",
    "x_visibility": "visibility",
    "x_anchor": "anchor_status",
    "x_created": "created",
    "x_updated": "updated",
    "x_codebook": "codebook_version",
    "x_article_version": "article_version",
    "x_project_id": "article__project_id",
}
# PostgreSQL text holds no NUL, and ascii('') is 0: leaving 0 out keeps "" empty.
PG_TRIGGER_CODES = ", ".join(str(ord(c)) for c in sorted(FORMULA_TRIGGERS) if c != "\0")


def copy_sql(
    annotations: QuerySet[Annotation], *, layout: str, base_url: str = "", raw: bool = False
) -> tuple[str, tuple]:
    """A PostgreSQL SELECT whose rows, as COPY's CSV, are the cells of :func:`csv_rows`.

    The ORM writes the filtered query (the inner SELECT ``a``); around it, the stances
    are joined (each joined row in the long layout; in the wide one, the names gathered
    onto each annotation's first row), the cell rules applied and the rows ordered as
    :data:`ORDERING` orders them.
    """
    url_head, url_middle, url_tail = reading_page_pattern()
    reading_page = Concat(
        Value(base_url.rstrip("/") + url_head),
        F("article__project__slug"),
        Value(url_middle),
        F("article__slug"),
        Value(url_tail),
        output_field=TextField(),
    )
    inner = annotations.order_by().values(
        **{alias: F(path) for alias, path in COPY_FIELDS.items()},
        x_url=Coalesce(
            NullIf(F("article__source_url"), Value("")), reading_page, output_field=TextField()
        ),
    )
    inner_sql, params = inner.query.sql_with_params()

    def safe(cell: str) -> str:
        if raw:
            return f"NULLIF({cell}, '')"
        return (
            f"CASE WHEN ascii({cell}) IN ({PG_TRIGGER_CODES}) THEN '''' || {cell} "
            f"ELSE NULLIF({cell}, '') END"
        )

    def iso(cell: str, fraction: str) -> str:
        return f"to_char({cell} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS{fraction}\"Z\"')"

    quote_name = connections[annotations.db].ops.quote_name
    tags = quote_name(AnnotationStance._meta.db_table)
    stances = quote_name(Stance._meta.db_table)
    order = quote_name(Stance._meta.get_field("order").column)
    name = quote_name(Stance._meta.get_field("name").column)
    tag_annotation = quote_name(AnnotationStance._meta.get_field("annotation").column)
    tag_stance = quote_name(AnnotationStance._meta.get_field("stance").column)
    # Each stance's name in the codebook version the annotation was made under (the
    # versions' snapshots, one row per version × stance), as CodedNames gives it.
    versions = quote_name(CodebookVersion._meta.db_table)
    coded = (
        f"SELECT v.project_id, v.number, (e->>'id')::bigint AS stance_id, e->>'name' AS name "
        f"FROM {versions} v CROSS JOIN LATERAL jsonb_array_elements(v.snapshot->'stances') e"
    )
    joined = (
        f"FROM ({inner_sql}) a LEFT JOIN {tags} t ON t.{tag_annotation} = a.x_id "
        f"LEFT JOIN {stances} s ON s.id = t.{tag_stance} "
        f"LEFT JOIN ({coded}) c ON c.project_id = a.x_project_id AND c.number = a.x_codebook "
        "AND c.stance_id = s.id"
    )
    annotation_order = "w.x_article, w.x_start, w.x_end, w.x_created, w.x_id"
    if layout == LONG:
        rows = (
            f"SELECT a.*, s.{name} AS x_stances, COALESCE(c.name, s.{name}) AS x_coded, "
            f"s.{order} AS x_stance_order {joined}"
        )
        row_filter = ""
        row_order = f"{annotation_order}, w.x_stance_order, w.x_stances"
    else:
        # One sort serves all: the window partitions by the ORDER BY's own keys, and the
        # first row of each annotation carries all of its stance names.
        separator = "'" + STANCE_SEPARATOR.replace("'", "''") + "'"
        rows = (
            f"SELECT a.*, string_agg(s.{name}, {separator}) OVER each AS x_stances, "
            f"string_agg(COALESCE(c.name, s.{name}), {separator}) OVER each AS x_coded, "
            f"row_number() OVER each AS x_row {joined} "
            "WINDOW each AS (PARTITION BY a.x_article, a.x_start, a.x_end, a.x_created, a.x_id "
            f"ORDER BY s.{order}, s.{name} "
            "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"
        )
        row_filter = "WHERE w.x_row = 1"
        row_order = annotation_order
    cells = [
        "x_id::text",
        "x_project",
        "x_article",
        safe("x_title"),
        safe("x_url"),
        safe("x_source"),
        iso("x_published", ""),
        safe("x_user"),
        safe("x_stances"),
        safe("x_quote"),
        safe("x_prefix"),
        safe("x_suffix"),
        "x_start",
        "x_end",
        safe("x_note"),
        "NULLIF(x_visibility, '')",
        "NULLIF(x_anchor, '')",
        iso("x_created", ".US"),
        iso("x_updated", ".US"),
        "x_codebook",
        f"'{CODER}'",
        "x_article_version",
        safe("x_coded"),
    ]
    # Qualified, the ORDER BY names the inner columns, not the outer ones of the same
    # name (x_id::text would sort as text, and once more).
    sql = f"SELECT {', '.join(cells)} FROM ({rows}) w {row_filter} ORDER BY {row_order}"
    return sql, params


def export_filename(options: ExportOptions, extension: str, today: dt.date | None = None) -> str:
    """``stance-reader-annotations[-<article slug>]-<date>[-long|-excel].<ext>``: each
    variant under its own name, so two downloads never overwrite each other."""
    subject = f"-{options.article.slug}" if options.article is not None else ""
    day = today or timezone.now().astimezone(dt.UTC).date()
    variant = ""
    if extension == "csv":
        variant = (
            ("-long" if options.layout == LONG else "")
            + ("-excel" if options.bom else "")
            + ("-raw" if options.raw else "")
        )
    return f"stance-reader-annotations{subject}-{day.isoformat()}{variant}.{extension}"
