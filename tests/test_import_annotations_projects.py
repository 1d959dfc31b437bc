"""An annotation file lands only on articles of projects the importer may annotate in,
and its tags become stances of the codebook of the article's own project."""

from __future__ import annotations

import pytest

from annotations import importing
from annotations.models import Annotation
from projects.models import Role
from tests.articles import FLOODS, stored_article

pytestmark = pytest.mark.django_db

URL = "https://news.example/floods"


def hypothesis(exact: str, *tags: str, n: int = 1) -> dict:
    return {
        "id": f"proj{n:04d}Hyp",
        "uri": URL,
        "text": "",
        "tags": list(tags),
        "permissions": {"read": ["group:__world__"]},
        "target": [{"source": URL, "selector": [{"type": "TextQuoteSelector", "exact": exact}]}],
    }


@pytest.fixture
def elsewhere(make_project, make_user):
    """Another team's project, with its own codebook (its own "Russia"), and the floods
    article, which is in that project only."""
    carol = make_user("carol", project=None)
    project = make_project("Elsewhere", carol)
    article = stored_article(FLOODS[0], list(FLOODS[1:]), URL)
    article.project = project
    article.save(update_fields=["project"])
    return project


def test_an_article_of_a_project_the_importer_is_not_in_is_not_found(elsewhere, alice):
    report = importing.import_collection(hypothesis("new walls and pumps"), importer=alice)
    assert report.created == 0 and dict(report.no_article) == {URL: 1}
    assert not Annotation.objects.exists()


def test_a_viewer_of_the_project_imports_nothing_into_it(elsewhere, alice, make_member):
    make_member(alice, elsewhere, role=Role.VIEWER)
    report = importing.import_collection(hypothesis("new walls and pumps"), importer=alice)
    assert report.created == 0 and not Annotation.objects.exists()


def test_tags_become_stances_of_the_articles_project(
    elsewhere, alice, make_member, default_project, stances
):
    make_member(alice, elsewhere, role=Role.ANNOTATOR)
    report = importing.import_collection(
        hypothesis("new walls and pumps", "russia", "Syrian Opposition"), importer=alice
    )
    assert report.created == 1 and not report.unknown_stances
    made = Annotation.objects.get()
    assert {s.project_id for s in made.stances.all()} == {elsewhere.pk}
    assert sorted(s.name for s in made.stances.all()) == ["Russia", "Syrian opposition"]

    # Imported again with a mapped tag: the stance added is the project's too.
    again = importing.import_collection(
        hypothesis("new walls and pumps", "usa"), importer=alice, tag_map={"usa": "United States"}
    )
    assert (again.created, again.stances_added) == (0, 1)
    assert {s.project_id for s in made.stances.all()} == {elsewhere.pk}
    assert made.stances.count() == 3

    # The same tag on an article of the default project is the default codebook's stance.
    home = stored_article(
        "At home", ["The council met on Monday about the bridge."], "https://home.example/a"
    )
    row = hypothesis("met on Monday", "RUSSIA", n=2) | {"uri": "https://home.example/a"}
    row["target"][0]["source"] = "https://home.example/a"
    assert importing.import_collection(row, importer=alice).created == 1
    (russia,) = Annotation.objects.get(article=home).stances.all()
    assert (russia.project_id, russia.name) == (default_project.pk, "Russia")
