"""Moving today's data into projects: a database filled by the code of before projects is
migrated forwards, backwards and forwards again, and nothing moves or is lost."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE_PROJECTS = [
    ("reader", "0003_article_version_articleproposal_articleversion"),
    ("annotations", "0004_imported_times"),
    ("projects", None),
]

TEXTS = [
    "Moscow said the talks would resume.\n\nWashington disagreed with the timetable.",
    "The opposition walked out of the Geneva meeting.\n\nRussia blamed the United States.",
]


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


def state_at(executor: MigrationExecutor, targets):
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def fill(apps) -> None:
    """What the code of before projects could store: users, articles, tagged annotations."""
    User = apps.get_model("auth", "User")
    Article = apps.get_model("reader", "Article")
    Stance = apps.get_model("annotations", "Stance")
    Annotation = apps.get_model("annotations", "Annotation")
    AnnotationStance = apps.get_model("annotations", "AnnotationStance")

    users = [
        User.objects.create(username="ada"),
        User.objects.create(username="ben"),
        User.objects.create(username="root", is_staff=True),
    ]
    stances = list(Stance.objects.order_by("order"))
    Stance.objects.create(name="Turkey", colour="#ff9900", order=9, active=False)
    for n, text in enumerate(TEXTS):
        article = Article.objects.create(
            title=f"Article {n}",
            slug=f"article-{n}",
            source_url=f"https://news.example/{n}" if n else None,
            body_html="".join(f"<p>{p}</p>" for p in text.split("\n\n")),
            text=text,
            text_hash=hashlib.sha256(text.encode()).hexdigest(),
            raw_input=text.encode(),
        )
        for i, word in enumerate(("said", "talks", "the")):
            if word not in text:
                continue
            start = text.index(word)
            annotation = Annotation.objects.create(
                article=article,
                user=users[i % len(users)],
                start=start,
                end=start + len(word),
                quote=word,
                visibility="private" if i == 1 else "shared",
                note=f"note {n}.{i}",
            )
            for stance in stances[: i + 1]:
                AnnotationStance.objects.create(annotation=annotation, stance=stance)


def observed(apps) -> dict:
    """Everything that must be the same before and after, read with the models of the moment."""
    User = apps.get_model("auth", "User")
    Article = apps.get_model("reader", "Article")
    Stance = apps.get_model("annotations", "Stance")
    Annotation = apps.get_model("annotations", "Annotation")
    rows = {}
    for a in Annotation.objects.order_by("pk"):
        rows[str(a.pk)] = (
            a.article.slug,
            a.user.username,
            a.start,
            a.end,
            a.quote,
            a.note,
            a.visibility,
            sorted(a.stances.values_list("name", flat=True)),
        )
    # Visibility as the code of before projects had it: shared, or one's own.
    seen = {
        u.username: sorted(
            str(a.pk) for a in Annotation.objects.all() if a.visibility == "shared" or a.user_id == u.pk
        )
        for u in User.objects.all()
    }
    return {
        "counts": (User.objects.count(), Article.objects.count(), Annotation.objects.count()),
        "articles": sorted(Article.objects.values_list("slug", "text", "text_hash", "source_url")),
        "stances": sorted(Stance.objects.values_list("name", "colour", "hotkey", "order", "active")),
        "annotations": rows,
        "seen": seen,
    }


def after_migration_checks(before: dict) -> None:
    from django.contrib.auth.models import User

    from annotations.models import Annotation, Stance
    from projects.models import CodebookVersion, Membership, Project
    from reader.models import Article

    project = Project.objects.get(slug="default")
    assert project.name == "Stance Reader"
    assert Project.objects.count() == 1
    assert not Article.objects.exclude(project=project).exists()
    assert not Stance.objects.exclude(project=project).exists()
    roles = dict(Membership.objects.filter(project=project).values_list("user__username", "role"))
    assert roles == {"ada": "annotator", "ben": "annotator", "root": "manager"}
    version = CodebookVersion.objects.get(project=project)
    assert version.number == project.codebook_version == 1
    assert sorted(e["name"] for e in version.snapshot["stances"]) == sorted(
        s[0] for s in before["stances"]
    )
    assert set(Annotation.objects.values_list("codebook_version", flat=True)) == {1}
    # Visibility through the project-scoped queryset equals what each person saw before.
    for user in User.objects.all():
        seen = sorted(str(pk) for pk in Annotation.objects.visible_to(user).values_list("pk", flat=True))
        assert seen == before["seen"][user.username]


@pytest.mark.django_db(transaction=True)
def test_todays_data_moves_into_the_default_project_and_back_unchanged():
    executor = migrate(BEFORE_PROJECTS)
    old_apps = state_at(executor, BEFORE_PROJECTS)
    old_apps.get_model("annotations", "Stance")  # the seeded codebook is there
    fill(old_apps)
    before = observed(old_apps)
    assert before["counts"] == (3, 2, 4)

    try:
        executor = migrate(latest())
        new_apps = state_at(executor, latest())
        assert observed(new_apps) == before
        after_migration_checks(before)

        executor = migrate(BEFORE_PROJECTS)
        assert observed(state_at(executor, BEFORE_PROJECTS)) == before
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
        assert "projects_project" not in tables

        executor = migrate(latest())
        assert observed(state_at(executor, latest())) == before
        after_migration_checks(before)
    finally:
        migrate(latest())
