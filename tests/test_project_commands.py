"""The command line knows projects: create_project, and --project on the imports and the
export (with --all-projects for staff tooling)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotations.services import annotation_create
from projects.models import Membership, Project
from reader.models import Article
from tests.articles import FLOODS

pytestmark = [pytest.mark.django_db]


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_create_project_with_a_manager_and_a_copied_codebook(alice, default_project):
    text = run("create_project", "Newsroom", "--manager", "alice", "--codebook-from", "default")
    project = Project.objects.get(name="Newsroom")
    assert f"/p/{project.slug}/" in text
    assert Membership.objects.get(project=project, user=alice).role == "manager"
    assert sorted(project.stances.values_list("name", flat=True)) == sorted(
        default_project.stances.values_list("name", flat=True)
    )
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        run("create_project", "X", "--manager", "nobody")
    with pytest.raises(CommandError, match="No project 'nope'"):
        run("create_project", "X", "--manager", "alice", "--codebook-from", "nope")


def test_import_articles_into_a_named_project_and_refuse_an_unknown_one(alice, tmp_path, make_project):
    newsroom = make_project("Newsroom", alice)
    page = tmp_path / "floods.txt"
    page.write_text("\n\n".join(FLOODS), encoding="utf-8")
    run("import_articles", "--project", newsroom.slug, str(page))
    run("import_articles", str(page))  # no --project: the default project
    assert sorted(Article.objects.values_list("project__slug", flat=True)) == sorted(
        ["default", newsroom.slug]
    )
    with pytest.raises(CommandError, match="No project 'nope'. The projects are: default, newsroom"):
        run("import_articles", "--project", "nope", str(page))


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_export_by_project_several_or_all(alice, tmp_path, make_project):
    newsroom = make_project("Newsroom", alice)
    made = {}
    for project in (Project.objects.get(slug="default"), newsroom):
        article = Article.objects.create(project=project, title=f"In {project.slug}", slug=f"in-{project.slug}",
                                         body_html="<p>x</p>", text="Floods in the valley.")  # fmt: skip
        made[project.slug] = annotation_create(user=alice, article=article, start=0, end=6, quote="Floods")
    out = tmp_path / "out.csv"
    call_command("export_annotations", "--project", newsroom.slug, "-o", str(out))
    only = rows(out.read_text(encoding="utf-8"))
    assert [r["project"] for r in only] == [newsroom.slug]
    assert only[0]["codebook_version"] == "1"
    call_command("export_annotations", "--project", newsroom.slug, "--project", "default", "-o", str(out))
    assert sorted(r["project"] for r in rows(out.read_text(encoding="utf-8"))) == ["default", newsroom.slug]
    call_command("export_annotations", "--all-projects", "-o", str(out))
    assert len(rows(out.read_text(encoding="utf-8"))) == 2
    with pytest.raises(CommandError, match="not both"):
        call_command("export_annotations", "--all-projects", "--project", "default", "-o", str(out))


def test_import_annotations_places_only_on_the_named_projects_articles(alice, tmp_path, make_project):
    newsroom = make_project("Newsroom", alice)
    url = "https://news.example/floods"
    for project in (Project.objects.get(slug="default"), newsroom):
        Article.objects.create(project=project, title="Floods", slug=f"floods-{project.slug}",
                               source_url=url, body_html="<p>x</p>", text="Floods in the valley.")  # fmt: skip
    document = {
        "rows": [
            {"id": "h1", "uri": url, "text": "", "tags": ["Russia"], "permissions": {"read": ["group:__world__"]},
             "target": [{"source": url, "selector": [{"type": "TextQuoteSelector", "exact": "Floods"}]}],
             "created": "2024-01-01T00:00:00+00:00", "updated": "2024-01-01T00:00:00+00:00", "user": "acct:a@hypothes.is"},
        ],
        "total": 1,
    }  # fmt: skip
    file = tmp_path / "h.json"
    file.write_text(json.dumps(document), encoding="utf-8")
    run("import_annotations", str(file), "--user", "alice", "--project", newsroom.slug, "--no-progress")
    from annotations.models import Annotation

    (annotation,) = Annotation.objects.all()
    assert annotation.article.project == newsroom
    assert [s.project_id for s in annotation.stances.all()] == [newsroom.pk]


def test_ensure_demo_user_makes_the_demo_project_with_its_manager(db):
    text = run("ensure_demo_user", "--project", "demo", "--address", "http://127.0.0.1:8101")
    assert "http://127.0.0.1:8101/accounts/login/" in text and "/p/demo/" in text
    demo = Project.objects.get(slug="demo")
    assert Membership.objects.get(project=demo, user__username="demo").role == "manager"
    assert demo.stances.count() == 3
    run("ensure_demo_user", "--project", "demo")  # idempotent
    assert Project.objects.filter(slug="demo").count() == 1
