"""A save is made once: the same request sent twice (a double click, a digit pressed
twice, Back then Save) never makes a second annotation or article. Each case is also
raced with two concurrent requests on the database under test (SQLite or PostgreSQL)."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from annotations import services as annotation_services
from annotations.models import Annotation

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


class ConcurrentDatabase:
    """Where concurrent requests can really wait for each other.

    PostgreSQL's test database already is such a place. SQLite's test database lives
    in memory with a shared cache, where a second writer fails at once with "table is
    locked" instead of waiting on the busy timeout as it does on the file database the
    site uses; so on SQLite each test gets a migrated file database of its own (WAL,
    IMMEDIATE transactions, as configured in settings), and every thread, this one
    included, talks to it.
    """

    def __init__(self, path=None):
        self.path = path
        self.opened = []

    def use(self) -> None:
        if self.path is None:
            return
        wrapper = connections["default"].__class__(
            {**connections["default"].settings_dict, "NAME": str(self.path)}, "default"
        )
        if threading.current_thread() is threading.main_thread():
            self.opened.append(wrapper)  # the others are closed by the thread that made them
        connections["default"] = wrapper


@pytest.fixture
def concurrent_db(request, tmp_path, django_db_blocker):
    # Tests using this are marked django_db(transaction=True): nothing is wrapped in a
    # transaction that the other threads could not see through.
    if connection.vendor != "sqlite":
        yield ConcurrentDatabase()
        return
    with django_db_blocker.unblock():
        in_memory = connections["default"]
        database = ConcurrentDatabase(tmp_path / "concurrent.sqlite3")
        database.use()
        try:
            call_command("migrate", verbosity=0)
            call_command("createcachetable", verbosity=0)
            yield database
        finally:
            for wrapper in database.opened:
                wrapper.close()
            connections["default"] = in_memory


def race(send, *, before_write, monkeypatch, attribute, database) -> list:
    """Run send() in two threads that both get past the check for an earlier save
    before either writes: each waits at a barrier inside ``attribute`` (a function
    the view calls between the check and the write)."""
    barrier = threading.Barrier(2, timeout=10)
    original = getattr(before_write, attribute)

    def wait_then(*args, **kwargs):
        barrier.wait()
        return original(*args, **kwargs)

    monkeypatch.setattr(before_write, attribute, wait_then)
    results, errors = [None, None], []

    def run(i):
        database.use()
        try:
            results[i] = send()
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, [repr(e) for e in errors]
    return results


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
    alice_client.post(reverse("annotations:create"), create_data(article, "Russia", stances[0], token))
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
        before_write=annotation_services,
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
def test_the_same_edit_sent_twice_is_harmless(alice_client, alice, article, stances, make_annotation):
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
        before_write=views.services,
        attribute="annotation_update",
        monkeypatch=monkeypatch,
        database=concurrent_db,
    )
    assert [r.status_code for r in responses] == [200, 200]
    annotation.refresh_from_db()
    assert (annotation.note, annotation.visibility, annotation.version) == ("checked", "private", 2)
    assert [s.name for s in annotation.stances.all()] == [stances[2].name]
