"""Pages that list things run a fixed number of queries, however many things there are."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.anchoring import context
from annotations.models import Annotation, AnnotationStance
from reader import services
from tests.articles import numbered_article

pytestmark = pytest.mark.django_db


def queries_for(client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(captured.captured_queries)


def bulk_annotations(article, users, stances, count: int) -> None:
    words = [(m.start(), m.end()) for m in re.finditer(r"\w+", article.text)]
    made = []
    for i in range(count):
        start, _ = words[i % len(words)]
        _, end = words[min(i % len(words) + 3, len(words) - 1)]
        prefix, suffix = context(article.text, start, end)
        made.append(
            Annotation(
                article=article,
                user=users[i % len(users)],
                start=start,
                end=end,
                quote=article.text[start:end],
                prefix=prefix,
                suffix=suffix,
                note=f"note {i} https://example.org/{i}" if i % 3 == 0 else "",
                visibility="private" if i % 5 == 0 else "shared",
            )
        )
    Annotation.objects.bulk_create(made)
    AnnotationStance.objects.bulk_create(
        AnnotationStance(annotation=a, stance=stances[j % len(stances)])
        for i, a in enumerate(made)
        for j in range(i % 3)
    )


@pytest.mark.parametrize("htmx", [False, True])
def test_reading_page_queries_do_not_grow_with_annotations(
    alice_client, alice, bob, make_user, article, stances, htmx
):
    url = (
        reverse("article_annotations:list", args=["default", article.slug])
        if htmx
        else article.get_absolute_url()
    )
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    empty = queries_for(alice_client, url, **headers)
    users = [alice, bob, *(make_user(f"reader{n}") for n in range(3))]
    bulk_annotations(article, users, stances, 1)
    one = queries_for(alice_client, url, **headers)
    bulk_annotations(article, users, stances, 499)
    assert Annotation.objects.count() == 500
    full = queries_for(alice_client, url, **headers)
    assert full == one
    # The stances prefetch is skipped when there is no annotation to prefetch for.
    assert empty <= full <= empty + 1


def test_reading_page_with_500_annotations_stays_under_a_fixed_bound(
    alice_client, alice, bob, article, stances, django_assert_max_num_queries
):
    bulk_annotations(article, [alice, bob], stances, 500)
    # A first view renders and stores the fragment (cache read and write included); the
    # study panel asks once whether the article has a gold layer.
    with django_assert_max_num_queries(17):
        response = alice_client.get(article.get_absolute_url())
    assert response.content.count(b'class="card') >= 400


def test_changes_endpoint_is_cheap(
    bob_client, alice, article, stances, django_assert_max_num_queries
):
    bulk_annotations(article, [alice], stances, 200)
    url = reverse("article_annotations:changes", args=["default", article.slug])
    with django_assert_max_num_queries(6):
        bob_client.get(url, HTTP_HX_REQUEST="true")


def test_article_list_queries_do_not_grow_with_articles(alice_client, alice):
    services.article_import(raw=numbered_article(0), user=alice)
    one = queries_for(alice_client, reverse("reader:article_list", args=["default"]))
    for n in range(1, 30):
        services.article_import(raw=numbered_article(n), user=alice)
    thirty = queries_for(alice_client, reverse("reader:article_list", args=["default"]))
    assert thirty == one


def test_article_list_fragment_queries_do_not_grow_with_articles(alice_client, alice):
    url = reverse("reader:article_list", args=["default"])
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "article-results"}
    services.article_import(raw=numbered_article(0), user=alice)
    one = queries_for(alice_client, url, **headers)
    for n in range(1, 30):
        services.article_import(raw=numbered_article(n), user=alice)
    assert queries_for(alice_client, url, **headers) == one


def project_queries(captured) -> list[str]:
    """The queries that read memberships or projects (joined to the page's own or not)."""
    tables = ('FROM "projects_membership"', 'FROM "projects_project"')
    return [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith("SELECT") and any(t in q["sql"].split(" WHERE ")[0] for t in tables)
    ]


@pytest.mark.parametrize("page", ["list", "reading"])
def test_a_page_costs_the_same_however_many_projects_the_person_is_in(
    alice_client, alice, article, make_project, page
):
    """Project scoping costs one query, the page's own membership; the header's switcher
    lists the person's projects when it is opened (its own request), so a person in five
    projects costs a page no more than a person in one."""
    url = (
        reverse("reader:article_list", args=["default"])
        if page == "list"
        else (article.get_absolute_url())
    )
    alice_client.get(url)  # the reading page's fragment is rendered and cached
    before = queries_for(alice_client, url)
    for n in range(4):
        make_project(f"Team {n}", alice)
    with CaptureQueriesContext(connection) as captured:
        response = alice_client.get(url)
    assert response.status_code == 200
    assert len(captured.captured_queries) == before
    assert len(project_queries(captured)) == 1, project_queries(captured)
    switcher = (
        response.content.decode().split('class="project-switcher"', 1)[1].split("</details>")[0]
    )
    assert "Team 0" not in switcher and "All projects" in switcher
    fetched = alice_client.get(
        reverse("project_switcher") + "?current=default", headers={"HX-Request": "true"}
    ).content.decode()
    for n in range(4):
        assert f"Team {n}" in fetched
    assert 'href="/p/default/" aria-current="page"' in fetched


def test_the_switcher_lists_only_the_persons_own_projects(alice_client, bob, make_project):
    make_project("Bob's secret desk", bob)
    fetched = alice_client.get(reverse("project_switcher")).content.decode()
    assert "Bob's secret desk" not in fetched
    assert "All projects" in fetched


def test_article_list_counts_what_the_reader_may_see_in_this_project(
    alice_client, alice, bob, article, make_annotation
):
    """The list's counts (read with the page's membership, not every project of the person's)
    hold shared annotations and the reader's own private ones, not another's private ones."""
    words = re.findall(r"\w{6,}", article.text)
    make_annotation(alice, article, words[0], visibility="shared")
    make_annotation(alice, article, words[1], visibility="private")
    make_annotation(bob, article, words[2], visibility="shared")
    make_annotation(bob, article, words[3], visibility="private")
    page = alice_client.get(reverse("reader:article_list", args=["default"])).content.decode()
    assert 'title="Annotations you can see">3 annotations<' in page


SIGNED_IN_MEMBER = ["django_session", "auth_user", "projects_membership"]


def tables_read(captured) -> list[str]:
    """The table each query reads (its outermost FROM, not a subquery's), in order."""
    tables = []
    for query in captured.captured_queries:
        sql, depth = query["sql"], 0
        for i, char in enumerate(sql):
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth == 0 and sql.startswith(' FROM "', i):
                tables.append(sql[i + 7 : sql.index('"', i + 7)])
                break
    return tables


@pytest.mark.parametrize("role", ["annotator", "manager"])
def test_reading_page_costs_what_it_cost_before_projects(alice_client, alice, article, role):
    """Issue 12 §6: the same query count as the single-room reading page (session, user,
    article, stances, the fragment's key, and before projects the pending proposals): the
    membership is the one new query, and whether proposals wait, coders are assigned (a
    curator's study panel) or a gold layer exists is read with the article instead of in
    queries of their own."""
    from projects.services import membership_set

    membership_set(project=article.project, user=alice, role=role, curator=role == "manager")
    url = article.get_absolute_url()
    alice_client.get(url)  # the fragment is rendered and cached
    with CaptureQueriesContext(connection) as captured:
        response = alice_client.get(url)
    assert response.status_code == 200
    assert tables_read(captured) == [
        *SIGNED_IN_MEMBER,
        "reader_article",
        "annotations_stance",
        "annotations_annotation",
    ]


def test_reading_page_still_shows_a_pending_proposal(alice_client, alice, article):
    """The proposals query is spared only when none waits: one that waits is listed."""
    from reader.models import ArticleProposal

    proposal = ArticleProposal.objects.create(
        article=article,
        proposed_by=alice,
        base_version=article.version,
        title=article.title,
        body_html="<p>x</p>",
        text="x",
        raw_input=b"",
    )
    url = article.get_absolute_url()
    alice_client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = alice_client.get(url)
    assert "reader_articleproposal" in tables_read(captured)
    page = response.content.decode()
    assert "Proposed update waiting for review" in page
    assert f"/proposals/{proposal.pk}/" in page or f"/{proposal.pk}/" in page


def test_article_list_costs_what_it_cost_before_projects(alice_client, alice):
    """Session, user, membership, the page of articles with their total, their counts: the
    total comes with the rows (COUNT(*) OVER ()), so the membership adds no query."""
    for n in range(30):
        services.article_import(raw=numbered_article(n), user=alice)
    with CaptureQueriesContext(connection) as captured:
        response = alice_client.get(reverse("reader:article_list", args=["default"]))
    assert response.status_code == 200
    assert tables_read(captured) == [
        *SIGNED_IN_MEMBER,
        "reader_article",
        "annotations_annotation",
    ]
    assert response.context["page"].paginator.count == 30
