"""Full-text search index over article title and text, kept in step by the database.

SQLite: an FTS5 table with external content (reader_article holds the text;
the index holds only tokens), synced by triggers. PostgreSQL: a tsvector column
that the model does not declare, filled by a trigger, with a GIN index. Because
triggers keep both in step, every writer (the import service, the admin, bulk
inserts) updates the index in its own transaction.

A later migration that makes Django rebuild reader_article on SQLite (most
AlterField operations) drops these triggers; it must run create_sqlite_index
again. tests/test_search.py fails if the triggers are missing.
"""

from __future__ import annotations

from django.db import DatabaseError, migrations, transaction

SQLITE_CREATE = [
    """
    CREATE VIRTUAL TABLE reader_article_fts USING fts5(
        title, text, content='reader_article', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER reader_article_fts_insert AFTER INSERT ON reader_article BEGIN
        INSERT INTO reader_article_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    END
    """,
    """
    CREATE TRIGGER reader_article_fts_delete AFTER DELETE ON reader_article BEGIN
        INSERT INTO reader_article_fts (reader_article_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END
    """,
    """
    CREATE TRIGGER reader_article_fts_update AFTER UPDATE OF title, text ON reader_article BEGIN
        INSERT INTO reader_article_fts (reader_article_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO reader_article_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    END
    """,
    "INSERT INTO reader_article_fts (reader_article_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS reader_article_fts_insert",
    "DROP TRIGGER IF EXISTS reader_article_fts_delete",
    "DROP TRIGGER IF EXISTS reader_article_fts_update",
    "DROP TABLE IF EXISTS reader_article_fts",
]

# English stemming without stop words ("US", "WHO" and "IT" stay searchable),
# accents folded when the unaccent extension is available.
POSTGRES_CONFIG = [
    "CREATE TEXT SEARCH DICTIONARY reader_english_stem (TEMPLATE = snowball, Language = english)",
    "CREATE TEXT SEARCH CONFIGURATION reader_search (COPY = pg_catalog.english)",
    """
    ALTER TEXT SEARCH CONFIGURATION reader_search
        ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
        WITH {dictionaries}
    """,
]
POSTGRES_DOCUMENT = (
    "setweight(to_tsvector('reader_search', coalesce({row}title, '')), 'A')"
    " || setweight(to_tsvector('reader_search', coalesce({row}text, '')), 'B')"
)
POSTGRES_CREATE = [
    "ALTER TABLE reader_article ADD COLUMN search_document tsvector",
    f"""
    CREATE FUNCTION reader_article_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_document := {POSTGRES_DOCUMENT.format(row="NEW.")};
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER reader_article_search_document
        BEFORE INSERT OR UPDATE OF title, text ON reader_article
        FOR EACH ROW EXECUTE FUNCTION reader_article_search_document()
    """,
    f"UPDATE reader_article SET search_document = {POSTGRES_DOCUMENT.format(row='')}",
    "CREATE INDEX reader_article_search_document ON reader_article USING gin (search_document)",
    # The planner does not count the cost of fetching each row's TOASTed
    # document: with statistics saying a word is common it prefers a
    # sequential scan that detoasts every document (~20x slower than the
    # index). Without them it assumes few matches and always takes the index.
    "ALTER TABLE reader_article ALTER COLUMN search_document SET STATISTICS 0",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS reader_article_search_document ON reader_article",
    "DROP FUNCTION IF EXISTS reader_article_search_document()",
    "ALTER TABLE reader_article DROP COLUMN IF EXISTS search_document",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS reader_search",
    "DROP TEXT SEARCH DICTIONARY IF EXISTS reader_english_stem",
]


def _unaccent_available(schema_editor) -> bool:
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    except DatabaseError:
        return False
    return True


def create_sqlite_index(schema_editor) -> None:
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            for statement in SQLITE_CREATE:
                schema_editor.execute(statement)
    except DatabaseError:
        # SQLite built without FTS5: search falls back to a scan (reader/search.py).
        pass


def create_index(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        create_sqlite_index(schema_editor)
    elif vendor == "postgresql":
        dictionaries = "reader_english_stem"
        if _unaccent_available(schema_editor):
            dictionaries = "unaccent, reader_english_stem"
        for statement in POSTGRES_CONFIG:
            schema_editor.execute(statement.format(dictionaries=dictionaries))
        for statement in POSTGRES_CREATE:
            schema_editor.execute(statement)


def drop_index(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("reader", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
