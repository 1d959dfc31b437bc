"""A save is made once: the same request sent twice (a double click, a digit pressed
twice, Back then Save) never makes a second annotation or article. Each case is also
raced with two concurrent requests on the database under test (SQLite or PostgreSQL)."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from annotations import services as annotation_services
from annotations.models import Annotation
from tests.concurrency import race

HTMX = {"HTTP_HX_REQUEST": "true"}


def create_data(article, quote: str, stance, token) -> dict:
    start = article.text.index(quote)
    return {
        "article": article.pk,
        "start": start,
        "end": start + len(quote),
        "quote": quote,
        "stances": [stance.pk],
        "note": "",
        "token": str(token),
    }


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_repeated_save_answers_with_the_annotation_already_made(alice_client, article, stances):
    data = create_data(article, "Russia", stances[0], uuid.uuid4())
    first = alice_client.post(reverse("annotations:create"), data, **HTMX)
    again = alice_client.post(reverse("annotations:create"), data, **HTMX)
    assert first.status_code == again.status_code == 200
    (made,) = Annotation.objects.all()
    assert str(made.pk).encode() in again.content
    assert again.content.count(f'id="ann-{made.pk}"'.encode()) == 1
    # Without htmx the repeat lands on the article, as the first save did.
    plain = alice_client.post(reverse("annotations:create"), data)
    assert plain.status_code == 302 and plain.url == article.get_absolute_url()
    assert Annotation.objects.count() == 1


@pytest.mark.django_db
def test_a_new_token_makes_a_new_annotation_and_tokens_are_per_person(
    alice_client, bob_client, article, stances
):
    token = uuid.uuid4()
    alice_client.post(
        reverse("annotations:create"), create_data(article, "Russia", stances[0], token)
    )
    alice_client.post(
        reverse("annotations:create"), create_data(article, "Russia", stances[0], uuid.uuid4())
    )
    # Someone else's token never hands them an annotation that is not theirs.
    response = bob_client.post(
        reverse("annotations:create"), create_data(article, "Russia", stances[1], token), **HTMX
    )
    assert response.status_code == 200
    assert sorted(Annotation.objects.values_list("user__username", flat=True)) == [
        "alice",
        "alice",
        "bob",
    ]


def seeded(django_user_model, password):
    """A person and the seed article in the concurrent database."""
    from projects.services import default_project, membership_set
    from reader import services

    from .conftest import SEED, seed_stances

    alice = django_user_model.objects.create_user(username="alice", password=password)
    membership_set(project=default_project(), user=alice)
    article = services.article_import(raw=SEED.read_bytes(), user=alice, filename=SEED.name).article
    return alice, article, seed_stances()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_with_one_token_make_one_annotation(
    concurrent_db, django_user_model, password, monkeypatch
):
    alice, article, stances = seeded(django_user_model, password)
    data = create_data(article, "Russia", stances[0], uuid.uuid4())
    url = reverse("annotations:create")
    responses = race(
        lambda: logged_in(alice).post(url, data, **HTMX),
        owner=annotation_services,
        attribute="creating_too_fast",
        monkeypatch=monkeypatch,
        database=concurrent_db,
    )
    assert [r.status_code for r in responses] == [200, 200]
    (made,) = Annotation.objects.all()
    assert [s.name for s in made.stances.all()] == [stances[0].name]
    for response in responses:
        assert f'id="ann-{made.pk}"'.encode() in response.content


@pytest.mark.django_db
def test_the_same_edit_sent_twice_is_harmless(
    alice_client, alice, article, stances, make_annotation
):
    annotation = make_annotation(alice, article, "Russia", stance_names=[stances[0].name])
    url = reverse("annotations:edit", args=[annotation.pk])
    data = {"version": 1, "note": "checked", "visibility": "shared", "stances": [stances[1].pk]}
    first = alice_client.post(url, data, **HTMX)
    again = alice_client.post(url, data, **HTMX)
    assert first.status_code == again.status_code == 200
    annotation.refresh_from_db()
    assert (annotation.note, annotation.version) == ("checked", 2)
    assert [s.name for s in annotation.stances.all()] == [stances[1].name]
    # A different edit from the same stale version is still refused, with the current state.
    other = alice_client.post(url, {**data, "note": "other"}, **HTMX)
    assert other.status_code == 409
    annotation.refresh_from_db()
    assert annotation.note == "checked"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_identical_edits_both_succeed_once(
    concurrent_db, django_user_model, password, monkeypatch
):
    alice, article, stances = seeded(django_user_model, password)
    start = article.text.index("Russia")
    annotation = annotation_services.annotation_create(
        user=alice, article=article, start=start, end=start + 6, quote="Russia", stances=stances[:1]
    )
    url = reverse("annotations:edit", args=[annotation.pk])
    data = {"version": 1, "note": "checked", "visibility": "private", "stances": [stances[2].pk]}
    from annotations import views

    responses = race(
        lambda: logged_in(alice).post(url, data, **HTMX),
        owner=views.services,
        attribute="annotation_update",
        monkeypatch=monkeypatch,
        database=concurrent_db,
    )
    assert [r.status_code for r in responses] == [200, 200]
    annotation.refresh_from_db()
    assert (annotation.note, annotation.visibility, annotation.version) == ("checked", "private", 2)
    assert [s.name for s in annotation.stances.all()] == [stances[2].name]
