"""Projects, memberships and codebook versions: who belongs where, and what each sees."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.http import Http404

from annotations.models import Annotation, Stance
from projects import permissions
from projects.models import CodebookVersion, Membership, Project, Role
from projects.services import codebook_version_record, membership_set
from reader import services
from reader.models import Article

from .conftest import SEED

pytestmark = pytest.mark.django_db


def test_the_default_project_holds_todays_codebook_at_version_1(default_project, stances):
    assert default_project.name == "Stance Reader"
    assert [s.name for s in stances] == ["Russia", "United States", "Syrian opposition"]
    assert all(s.project_id == default_project.pk for s in stances)
    version = CodebookVersion.objects.get(project=default_project)
    assert version.number == default_project.codebook_version == 1
    assert [e["name"] for e in version.snapshot["stances"]] == [s.name for s in stances]


def test_fixture_users_are_annotators_of_the_default_project(alice, staff, default_project):
    assert Membership.objects.get(user=alice, project=default_project).role == Role.ANNOTATOR
    assert Membership.objects.get(user=staff, project=default_project).role == Role.ANNOTATOR


def test_articles_imported_without_a_project_land_in_the_default_one(article, default_project):
    assert article.project == default_project


def test_the_same_page_may_be_imported_into_two_projects(alice, seed_bytes, make_project):
    other = make_project("Fact checkers", alice)
    first = services.article_import(raw=seed_bytes, user=alice, filename=SEED.name)
    again = services.article_import(raw=seed_bytes, user=alice, filename=SEED.name)
    there = services.article_import(raw=seed_bytes, user=alice, filename=SEED.name, project=other)
    assert again.status == services.UNCHANGED and again.article == first.article
    assert there.status == services.IMPORTED
    assert there.article != first.article and there.article.project == other
    assert there.article.slug != first.article.slug
    assert Article.objects.count() == 2


def test_duplicate_text_in_one_project_is_refused_by_the_database(article):
    twin = Article.objects.get(pk=article.pk)
    twin.pk = None
    twin.slug = "twin"
    twin.source_url = None
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_stance_names_and_hotkeys_are_unique_per_project_only(alice, make_project, stances):
    other = make_project("Class of 2026", alice)
    assert sorted(Stance.objects.filter(project=other).values_list("name", flat=True)) == sorted(
        s.name for s in stances
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Stance.objects.create(project=other, name="Russia", colour="#000000")
    with pytest.raises(IntegrityError), transaction.atomic():
        Stance.objects.create(project=other, name="Turkey", colour="#000000", hotkey=1)


def test_a_new_project_can_start_from_another_projects_codebook(alice, make_project, default_project):
    Stance.objects.filter(project=default_project, name="Russia").update(definition="Moscow's line.")
    copy = make_project("Copy", alice, codebook_from=default_project)
    russia = Stance.objects.get(project=copy, name="Russia")
    assert russia.definition == "Moscow's line."
    assert copy.codebook_version == 1
    assert copy.codebook_versions.get().change == f"Copied from {default_project.name}."
    assert Membership.objects.get(project=copy, user=alice).role == Role.MANAGER


def test_a_codebook_change_makes_a_new_version_saying_what_changed(alice, default_project, stances):
    russia = stances[0]
    russia.name = "Russian Federation"
    russia.save()
    version = codebook_version_record(project=default_project, user=alice)
    assert version.number == 2
    assert version.change == "renamed 'Russia' to 'Russian Federation'"
    default_project.refresh_from_db()
    assert default_project.codebook_version == 2
    # Nothing changed since: no new version.
    assert codebook_version_record(project=default_project, user=alice) is None
    old = CodebookVersion.objects.get(project=default_project, number=1)
    assert "Russia" in [e["name"] for e in old.snapshot["stances"]]


def test_an_annotation_records_the_codebook_version_it_was_made_under(
    alice, article, make_annotation, default_project, stances
):
    before = make_annotation(alice, article, "Syria", stance_names=["Russia"])
    Stance.objects.filter(pk=stances[0].pk).update(colour="#000000")
    codebook_version_record(project=default_project, user=alice)
    fresh = Article.objects.for_reading().get(pk=article.pk)
    after = make_annotation(alice, fresh, "Syria", occurrence=1)
    assert Annotation.objects.get(pk=before.pk).codebook_version == 1
    assert Annotation.objects.get(pk=after.pk).codebook_version == 2


def test_roles_include_the_ones_below(alice, bob, make_user, default_project):
    viewer = make_user("vera", role=Role.VIEWER)
    manager = make_user("max", role=Role.MANAGER)
    assert [permissions.can_view(u, default_project) for u in (viewer, alice, manager)] == [True] * 3
    assert [permissions.can_annotate(u, default_project) for u in (viewer, alice, manager)] == [
        False,
        True,
        True,
    ]
    assert [permissions.can_manage(u, default_project) for u in (viewer, alice, manager)] == [
        False,
        False,
        True,
    ]
    membership = membership_set(project=default_project, user=viewer, role=Role.ANNOTATOR, curator=True)
    assert membership.can_annotate and membership.can_curate and not membership.can_manage


def test_outsiders_get_404_exactly_as_for_a_project_that_does_not_exist(
    alice, make_user, make_project
):
    theirs = make_project("Theirs", alice)
    outsider = make_user("olga")
    staff = make_user("sam", is_staff=True, is_superuser=True, project=None)
    for user in (outsider, staff, AnonymousUser()):
        for slug in (theirs.slug, "never-was"):
            with pytest.raises(Http404) as raised:
                permissions.get_membership_or_404(user, slug)
            assert str(raised.value) == "No such project."
        assert not permissions.can_view(user, theirs)
    assert permissions.get_membership_or_404(alice, theirs.slug).project == theirs


def test_a_role_below_the_one_asked_for_is_a_404_too(make_user, default_project):
    viewer = make_user("vera", role=Role.VIEWER)
    assert permissions.get_membership_or_404(viewer, "default").can_view
    with pytest.raises(Http404):
        permissions.get_membership_or_404(viewer, "default", role=Role.ANNOTATOR)


def test_articles_and_annotations_are_seen_by_members_only_staff_included(
    alice, seed_bytes, make_user, make_project, stances
):
    from annotations.services import annotation_create

    theirs = make_project("Theirs", alice)
    inside = services.article_import(raw=seed_bytes, user=alice, filename=SEED.name, project=theirs).article
    inside = Article.objects.for_reading().get(pk=inside.pk)
    start = inside.text.index("Syria")
    shared = annotation_create(user=alice, article=inside, start=start, end=start + 5, quote="Syria")
    bob = make_user("bob")  # in the default project only
    staff = make_user("sam", is_staff=True, is_superuser=True)
    for outsider in (bob, staff, AnonymousUser()):
        assert not Article.objects.visible_to(outsider).filter(pk=inside.pk).exists()
        assert not Annotation.objects.visible_to(outsider).filter(pk=shared.pk).exists()
        assert not Project.objects.for_member(outsider).filter(pk=theirs.pk).exists()
    assert Article.objects.visible_to(alice).filter(pk=inside.pk).exists()
    assert Annotation.objects.visible_to(alice).filter(pk=shared.pk).exists()
    membership_set(project=theirs, user=bob, role=Role.VIEWER)
    assert Annotation.objects.visible_to(bob).filter(pk=shared.pk).exists()


def test_a_private_annotation_stays_its_owners_inside_a_project(alice, bob, article, make_annotation):
    private = make_annotation(alice, article, "Syria", visibility="private")
    assert Annotation.objects.visible_to(alice).filter(pk=private.pk).exists()
    assert not Annotation.objects.visible_to(bob).filter(pk=private.pk).exists()
