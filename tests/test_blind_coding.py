"""Blind coding, from every side: until a coder submits their coding of an article they
see only their own annotations on it, on every path (the page, its fragments, the live
updates, the list's counts, the CSV and JSON-LD exports); managers see everyone's."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from annotations.models import Annotation
from annotations.services import annotation_update
from studies.services import submission_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def blind(default_project, article, alice, make_user, make_annotation):
    """The default project, blind: alice manages; bob and cyd code; vic views; olga is out."""
    from projects.services import membership_set

    membership_set(project=default_project, user=alice, role="manager")
    default_project.settings = {**(default_project.settings or {}), "blind": True}
    default_project.save(update_fields=["settings"])
    people = {
        "alice": alice,
        "bob": make_user("bob"),
        "cyd": make_user("cyd"),
        "vic": make_user("vic", role="viewer"),
        "olga": make_user("olga", project=None),
    }
    notes = {
        "bob": make_annotation(
            people["bob"], article, "Syrian", stance_names=["Russia"], note="bob's"
        ),
        "bob-private": make_annotation(
            people["bob"], article, "Syrian", occurrence=1, note="bob's own", visibility="private"
        ),
        "cyd": make_annotation(
            people["cyd"], article, "Russia", stance_names=["Russia"], note="cyd's"
        ),
    }
    return {"article": article, "people": people, "notes": notes}


def notes_seen(queryset) -> set[str]:
    return set(queryset.values_list("note", flat=True))


def client_of(client, user):
    client.force_login(user)
    return client


def page_notes(client, url, **headers) -> set[str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(client.get(url, **headers).content, "html.parser")
    cards = soup.select("#annotation-list .card")
    return {
        n
        for n in ("bob's", "bob's own", "cyd's")
        if any(n == t for c in cards for t in c.stripped_strings)
    }


def csv_notes(client) -> set[str]:
    response = client.get(reverse("project_export:annotations_csv", args=["default"]))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return {row["note"] for row in csv.DictReader(io.StringIO(text))}


def jsonld_notes(client) -> set[str]:
    response = client.get(reverse("project_export:annotations_jsonld", args=["default"]))
    assert response.status_code == 200
    data = json.loads(b"".join(response.streaming_content))
    items = data.get("first", {}).get("items", data.get("items", []))
    out = set()
    for item in items:
        for body in item.get("body", []):
            if body.get("purpose") == "commenting":
                out.add(body["value"])
    return out


def list_count(client, article) -> int:
    html = client.get(reverse("reader:article_list", args=["default"])).content.decode()
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    link = soup.find("a", href=article.get_absolute_url())
    row = link.find_parent("li") or link.find_parent("tr")
    return int(row.select_one(".annotation-count, .count").get_text().split()[0].strip("()"))


def test_the_queryset_hides_the_others_until_the_coder_submits(blind):
    people, article = blind["people"], blind["article"]
    visible = lambda who: notes_seen(Annotation.objects.visible_to(people[who]))  # noqa: E731
    assert visible("bob") == {"bob's", "bob's own"}
    assert visible("cyd") == {"cyd's"}
    assert visible("alice") == {"bob's", "cyd's"}  # the manager: every shared annotation
    assert visible("vic") == set()  # a viewer codes nothing, so never submits
    assert visible("olga") == set()
    submission_create(article=article, coder=people["bob"])
    assert visible("bob") == {"bob's", "bob's own", "cyd's"}
    assert visible("cyd") == {"cyd's"}  # bob's submitting reveals nothing to cyd
    submission_create(article=article, coder=people["cyd"])
    assert visible("cyd") == {"cyd's", "bob's"}  # never bob's private one


def test_a_project_that_is_not_blind_shows_shared_work_to_everyone(blind, default_project):
    default_project.settings = {**default_project.settings, "blind": False}
    default_project.save(update_fields=["settings"])
    assert notes_seen(Annotation.objects.visible_to(blind["people"]["cyd"])) == {"bob's", "cyd's"}
    assert notes_seen(Annotation.objects.visible_to(blind["people"]["vic"])) == {"bob's", "cyd's"}


def test_reading_page_and_its_fragment_before_and_after_submitting(client, blind):
    people, article = blind["people"], blind["article"]
    fragment = reverse("article_annotations:list", args=["default", article.slug])
    client_of(client, people["bob"])
    assert page_notes(client, article.get_absolute_url()) == {"bob's", "bob's own"}
    assert page_notes(client, fragment, HTTP_HX_REQUEST="true") == {"bob's", "bob's own"}
    submission_create(article=article, coder=people["bob"])
    assert page_notes(client, article.get_absolute_url()) == {"bob's", "bob's own", "cyd's"}
    assert page_notes(client, fragment, HTTP_HX_REQUEST="true") == {"bob's", "bob's own", "cyd's"}
    client_of(client, people["cyd"])
    assert page_notes(client, article.get_absolute_url()) == {"cyd's"}
    client_of(client, people["alice"])
    assert page_notes(client, article.get_absolute_url()) == {"bob's", "cyd's"}
    client_of(client, people["olga"])
    assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get(fragment, HTTP_HX_REQUEST="true").status_code == 404


def test_live_updates_say_nothing_of_a_blind_coders_colleagues(client, blind, make_annotation):
    people, article = blind["people"], blind["article"]
    url = reverse("article_annotations:changes", args=["default", article.slug])
    from annotations.reading import change_token

    client_of(client, people["bob"])
    since = change_token(article, people["bob"])
    manager_since = change_token(article, people["alice"])
    make_annotation(people["cyd"], article, "Iran", stance_names=["Russia"], note="cyd's second")
    assert client.get(url, {"since": since}, HTTP_HX_REQUEST="true").status_code == 204
    client_of(client, people["alice"])
    response = client.get(url, {"since": manager_since}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "annotations-stale" in response["HX-Trigger"]
    submission_create(article=article, coder=people["bob"])
    client_of(client, people["bob"])
    response = client.get(url, {"since": since}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "annotations-stale" in response["HX-Trigger"]


def test_the_list_page_counts_what_each_person_may_see(client, blind):
    people, article = blind["people"], blind["article"]
    assert list_count(client_of(client, people["bob"]), article) == 2
    assert list_count(client_of(client, people["cyd"]), article) == 1
    assert list_count(client_of(client, people["alice"]), article) == 2
    assert list_count(client_of(client, people["vic"]), article) == 0
    submission_create(article=article, coder=people["bob"])
    assert list_count(client_of(client, people["bob"]), article) == 3


def test_exports_follow_the_blind_rule(client, blind):
    people, article = blind["people"], blind["article"]
    for read in (csv_notes, jsonld_notes):
        assert read(client_of(client, people["bob"])) == {"bob's", "bob's own"}, read
        assert read(client_of(client, people["cyd"])) == {"cyd's"}, read
        assert read(client_of(client, people["alice"])) == {"bob's", "cyd's"}, read
        assert read(client_of(client, people["vic"])) == set(), read
    submission_create(article=article, coder=people["bob"])
    assert csv_notes(client_of(client, people["bob"])) == {"bob's", "bob's own", "cyd's"}
    assert jsonld_notes(client_of(client, people["bob"])) == {"bob's", "bob's own", "cyd's"}
    client_of(client, people["olga"])
    assert (
        client.get(reverse("project_export:annotations_csv", args=["default"])).status_code == 404
    )


def test_the_snapshot_keeps_what_was_submitted_when_the_coder_edits_later(blind, stances):
    people, article, notes = blind["people"], blind["article"], blind["notes"]
    submission = submission_create(article=article, coder=people["bob"])
    live = notes["bob"]
    annotation_update(
        annotation=live,
        version=live.version,
        stances=[stances[1]],
        note="changed",
        visibility="shared",
    )
    assert list(submission.annotations.values_list("quote", "note", "stances")) == [
        ("Syrian", "bob's", ["Russia"])
    ]
    # The revealed view shows the live annotation, the agreement the snapshot.
    assert "changed" in notes_seen(Annotation.objects.visible_to(people["bob"]))


def test_reading_page_queries_stay_bounded_for_a_blind_coder(
    client, blind, stances, django_assert_max_num_queries
):
    from tests.test_query_counts import bulk_annotations

    people, article = blind["people"], blind["article"]
    bulk_annotations(article, [people["bob"], people["cyd"]], stances, 300)
    client_of(client, people["bob"])
    with django_assert_max_num_queries(18):
        response = client.get(article.get_absolute_url())
    assert response.content.count(b'class="card') >= 150
