import importlib

import django.db.models.deletion
from django.db import migrations, models

import projects.models

SEARCH_INDEX = importlib.import_module("reader.migrations.0002_article_search_index")


def drop_sqlite_search_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for statement in SEARCH_INDEX.SQLITE_DROP:
            schema_editor.execute(statement)


def create_sqlite_search_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        SEARCH_INDEX.create_sqlite_index(schema_editor)


class Migration(migrations.Migration):
    """Every article is in a project now; the duplicate rules hold within each project."""

    dependencies = [
        ("projects", "0002_default_project"),
        ("reader", "0004_article_project"),
    ]

    operations = [
        # SQLite rebuilds reader_article for these changes, which drops the search triggers;
        # take the index down first and build it again after, in both directions.
        migrations.RunPython(drop_sqlite_search_index, create_sqlite_search_index, elidable=False),
        # First required without a default (every row was filled by projects.0002), then the
        # default for callers that name no project, which needs no change to existing rows.
        migrations.AlterField(
            model_name="article",
            name="project",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="articles",
                to="projects.project",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="project",
            field=models.ForeignKey(
                default=projects.models.default_project_pk,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="articles",
                to="projects.project",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="source_url",
            field=models.URLField(blank=True, max_length=2000, null=True),
        ),
        migrations.AlterField(
            model_name="article",
            name="text_hash",
            field=models.CharField(editable=False, max_length=64),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["project", "-published", "-imported_at"], name="article_project_listing"
            ),
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.UniqueConstraint(
                fields=("project", "source_url"), name="article_url_once_per_project"
            ),
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.UniqueConstraint(
                fields=("project", "text_hash"), name="article_text_once_per_project"
            ),
        ),
        migrations.RunPython(create_sqlite_search_index, drop_sqlite_search_index, elidable=False),
    ]
