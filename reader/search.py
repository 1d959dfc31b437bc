"""Full-text search over article title and text, on the index migration 0002 builds.

Queries use web-search syntax on both databases: words must all match, "quoted
words" match as a phrase, -word excludes, and `or` separates alternatives.
The user's text is parsed here and rendered again, each term quoted, so no
input can reach the database's own query syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from django.db import connections
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Expression,
    F,
    FloatField,
    Func,
    Q,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.lookups import In

MAX_TERMS = 8
TERM = re.compile(r'(-?)"([^"]*)"?|(\S+)')

POSTGRES_MATCHES = "{row}.search_document @@ websearch_to_tsquery('reader_search', %s)"
POSTGRES_RANK = "ts_rank({row}.search_document, websearch_to_tsquery('reader_search', %s))"
SQLITE_MATCHES = "SELECT rowid FROM reader_article_fts WHERE reader_article_fts MATCH %s"
# bm25 is smaller for better matches; a title hit weighs ten text hits. The
# scores are materialized once per query: asked row by row, FTS5 would run
# the whole MATCH again for every article (~0.2 ms each).
SQLITE_RANK = (
    "(WITH ranked(id, score) AS MATERIALIZED ("
    "SELECT rowid, -bm25(reader_article_fts, 10.0, 1.0) FROM reader_article_fts"
    " WHERE reader_article_fts MATCH {query})"
    " SELECT score FROM ranked WHERE ranked.id = {pk})"
)


@dataclass
class Group:
    """Terms that must all be present (and excluded terms that must not)."""

    required: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)


def _searchable(term: str) -> bool:
    # Both databases index runs of letters and digits only.
    return any(ch.isalnum() for ch in term)


def parse(query: str) -> list[Group]:
    """Alternatives (separated by `or`), each a group of terms; phrases kept whole."""
    groups = [Group()]
    count = 0
    # PostgreSQL text cannot hold NUL; it separates words like a space would.
    for match in TERM.finditer(query.replace("\x00", " ")):
        negated, phrase, word = match.group(1), match.group(2), match.group(3)
        if word is not None and word.casefold() == "or":
            groups.append(Group())
            continue
        if word is not None and word.startswith("-"):
            negated, word = "-", word[1:]
        term = " ".join((phrase if word is None else word).split())
        if not _searchable(term) or count >= MAX_TERMS:
            continue
        count += 1
        (groups[-1].excluded if negated else groups[-1].required).append(term)
    # A group of exclusions alone would match nearly everything: ignore it.
    return [g for g in groups if g.required]


def _quote(term: str) -> str:
    return '"' + term.replace('"', "") + '"'


def websearch_text(groups: list[Group]) -> str:
    """The parsed query in PostgreSQL's websearch syntax, every term quoted."""
    return " or ".join(
        " ".join([*map(_quote, g.required), *("-" + _quote(t) for t in g.excluded)]) for g in groups
    )


def fts5_text(groups: list[Group]) -> str:
    """The parsed query in SQLite FTS5 syntax, every term an FTS5 string."""

    def render(group: Group) -> str:
        text = "(" + " AND ".join(map(_quote, group.required)) + ")"
        return text + "".join(f" NOT {_quote(t)}" for t in group.excluded)

    return " OR ".join(f"({render(g)})" for g in groups)


@cache
def _has_fts5_index(alias: str, name: str) -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'reader_article_fts'")
        return cursor.fetchone() is not None


def _backend(alias: str) -> str:
    connection = connections[alias]
    if connection.vendor == "postgresql":
        return "postgresql"
    if connection.vendor == "sqlite" and _has_fts5_index(
        alias, str(connection.settings_dict["NAME"])
    ):
        return "fts5"
    return "scan"


def matching(groups: list[Group], alias: str, *, ranked: bool = False) -> Q | Expression:
    """A filter for articles that match the parsed query."""
    backend = _backend(alias)
    if backend == "postgresql":
        return OnArticleRow(POSTGRES_MATCHES, websearch_text(groups), BooleanField())
    if backend == "fts5":
        matches = RawSQL(SQLITE_MATCHES, [fts5_text(groups)])
        if ranked:
            return Q(pk__in=matches)
        # "+id" keeps SQLite from looking up every match by id and sorting them
        # all by date; it walks the list's ordering index instead and stops
        # after a page. Ordered by relevance, every match is needed anyway.
        unindexed_pk = Func(F("pk"), template="+%(expressions)s", output_field=BigIntegerField())
        return In(unindexed_pk, matches)
    condition = Q()
    for group in groups:
        required = Q()
        for term in group.required:
            required &= Q(title__icontains=term) | Q(text__icontains=term)
        for term in group.excluded:
            required &= ~Q(title__icontains=term) & ~Q(text__icontains=term)
        condition |= required
    return condition


class OnArticleRow(Expression):
    """SQL over the article row's own columns, such as the search_document the model does not declare."""

    def __init__(self, template: str, param: str, output_field) -> None:
        super().__init__(output_field=output_field)
        self.template = template
        self.param = param

    def as_sql(self, compiler, connection):
        row = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return self.template.format(row=row), (self.param,)


class Relevance(Expression):
    """How well an article matches the query, larger is better; 0 without an index."""

    output_field = FloatField()

    def __init__(self, query: str) -> None:
        super().__init__()
        self.query = query
        self.pk: Expression = F("pk")

    def get_source_expressions(self) -> list[Expression]:
        return [self.pk]

    def set_source_expressions(self, exprs: list[Expression]) -> None:
        (self.pk,) = exprs

    def as_sql(self, compiler, connection):
        backend = _backend(connection.alias)
        if backend == "scan":
            return compiler.compile(Value(0.0))
        groups = parse(self.query)
        if backend == "postgresql":
            return compiler.compile(
                OnArticleRow(POSTGRES_RANK, websearch_text(groups), FloatField())
            )
        pk_sql, pk_params = compiler.compile(self.pk)
        return SQLITE_RANK.format(query="%s", pk=pk_sql), (fts5_text(groups), *pk_params)
