"""The admin's delete pages show nobody's private annotation: a count, never a quote or an id."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db.models import ForeignObjectRel
from django.test import Client
from django.urls import reverse

from annotations.admin import HidesUnseenAnnotations
from annotations.models import Annotation, AnnotationStance, Stance
from reader.models import Article

pytestmark = pytest.mark.django_db

PRIVATE_QUOTE = "Damascus has denied all the claims of abuse."
SHARED_QUOTE = "Additional reporting by AP"


@pytest.fixture
def superuser(make_user):
    return make_user("sam", is_staff=True, is_superuser=True, role="manager")


@pytest.fixture
def staff_client(superuser) -> Client:
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture
def carol(make_user):
    return make_user("carol")


@pytest.fixture
def annotated(alice, carol, article, make_annotation):
    """Carol's private annotation tagged Russia, and alice's shared one."""
    private = make_annotation(
        carol, article, PRIVATE_QUOTE, visibility="private", stance_names=["Russia"]
    )
    shared = make_annotation(alice, article, SHARED_QUOTE, stance_names=["Russia"])
    return private, shared


def _assert_hides(page: bytes, private: Annotation) -> None:
    assert str(private.pk).encode() not in page
    assert PRIVATE_QUOTE[:30].encode() not in page


def test_a_stance_delete_page_counts_private_annotations_instead_of_listing_them(
    staff_client, annotated, stances
):
    private, shared = annotated
    russia = next(s for s in stances if s.name == "Russia")
    url = reverse("admin:annotations_stance_delete", args=[russia.pk])
    page = staff_client.get(url)
    assert page.status_code == 200
    _assert_hides(page.content, private)
    assert b"1 annotation of other users (not shown)" in page.content
    # What the staff member may see is still named, and the stance is still protected.
    assert str(shared.pk).encode() in page.content
    refused = staff_client.post(url, {"post": "yes"})
    assert b"Cannot delete stance" in refused.content
    _assert_hides(refused.content, private)
    assert Stance.objects.filter(pk=russia.pk).exists()


def test_an_article_delete_page_counts_private_annotations_and_refuses(
    staff_client, annotated, article
):
    private, _shared = annotated
    url = reverse("admin:reader_article_delete", args=[article.pk])
    page = staff_client.get(url)
    assert page.status_code == 200
    _assert_hides(page.content, private)
    assert b"Cannot delete article" in page.content
    assert b"1 annotation of other users (not shown)" in page.content
    assert staff_client.post(url, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()
    assert Annotation.objects.filter(pk=private.pk).exists()


def test_the_list_of_what_would_be_deleted_names_only_what_the_staff_member_sees(
    rf, superuser, annotated, article
):
    private, shared = annotated
    request = rf.get("/")
    request.user = superuser
    model_admin = admin.site._registry[Article]
    to_delete, counts, perms_needed, protected = model_admin.get_deleted_objects(
        Article.objects.filter(pk=article.pk), request
    )
    listed = repr(to_delete)
    assert str(private.pk) not in listed and PRIVATE_QUOTE[:30] not in listed
    assert SHARED_QUOTE[:20] in listed
    assert "1 annotation of other users (not shown)" in to_delete
    assert counts["annotations"] == 1
    assert counts["annotation stances"] == 1
    assert counts["annotations of other users (not shown)"] == 1
    assert "1 annotation of other users (not shown)" in perms_needed
    assert protected == []


def test_the_bulk_delete_action_hides_them_too(staff_client, annotated, article):
    private, _shared = annotated
    page = staff_client.post(
        reverse("admin:reader_article_changelist"),
        {"action": "delete_selected", "_selected_action": [article.pk]},
    )
    assert page.status_code == 200
    _assert_hides(page.content, private)
    assert b"1 annotation of other users (not shown)" in page.content


def test_a_person_and_a_project_delete_page_hide_private_annotations(
    staff_client, annotated, carol, default_project
):
    private, _shared = annotated
    for url in (
        reverse("admin:auth_user_delete", args=[carol.pk]),
        reverse("admin:projects_project_delete", args=[default_project.pk]),
    ):
        page = staff_client.get(url)
        assert page.status_code == 200
        _assert_hides(page.content, private)
        assert b"of other users (not shown)" in page.content


def test_the_staff_members_own_private_annotation_is_listed_to_them(
    staff_client, superuser, article, make_annotation
):
    own = make_annotation(superuser, article, PRIVATE_QUOTE, visibility="private")
    page = staff_client.get(reverse("admin:reader_article_delete", args=[article.pk]))
    assert str(own.pk).encode() in page.content or PRIVATE_QUOTE[:30].encode() in page.content
    assert b"not shown" not in page.content
    assert (
        staff_client.post(
            reverse("admin:reader_article_delete", args=[article.pk]), {"post": "yes"}
        ).status_code
        == 302
    )
    assert not Article.objects.filter(pk=article.pk).exists()


def _reaches_annotations(model, seen=None) -> bool:
    seen = set() if seen is None else seen
    if model in (Annotation, AnnotationStance):
        return True
    seen.add(model)
    related = [
        f.related_model
        for f in model._meta.get_fields(include_hidden=True)
        if isinstance(f, ForeignObjectRel) and not f.many_to_many
    ]
    return any(m not in seen and _reaches_annotations(m, seen) for m in related)


def test_every_admin_whose_deletions_reach_annotations_hides_them():
    reaching = [m for m in admin.site._registry if _reaches_annotations(m)]
    assert {m.__name__ for m in reaching} >= {"Article", "Stance", "Annotation", "User", "Project"}
    for model in reaching:
        assert isinstance(admin.site._registry[model], HidesUnseenAnnotations), model
