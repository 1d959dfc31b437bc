"""Every permission from the other user's side: 404 for private, refused for shared."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from annotations.models import Annotation
from tests import pages

pytestmark = pytest.mark.django_db

PRIVATE_QUOTE = "Damascus has denied all the claims of abuse."
SHARED_QUOTE = "Additional reporting by AP"


@pytest.fixture
def private(alice, article, make_annotation) -> Annotation:
    return make_annotation(
        alice,
        article,
        PRIVATE_QUOTE,
        note="secret-note-7",
        visibility="private",
        stance_names=["Russia"],
    )


@pytest.fixture
def shared(alice, article, make_annotation) -> Annotation:
    return make_annotation(
        alice, article, SHARED_QUOTE, note="shared-note-3", stance_names=["Russia"]
    )


@pytest.fixture
def staff_client(staff) -> Client:
    client = Client()
    client.force_login(staff)
    return client


def requests_on(annotation: Annotation) -> list[tuple[str, str, dict]]:
    edit = reverse("annotations:edit", args=[annotation.pk])
    delete = reverse("annotations:delete", args=[annotation.pk])
    change = {"version": annotation.version, "note": "hijacked", "visibility": "shared"}
    return [
        ("get", reverse("annotations:detail", args=[annotation.pk]), {}),
        ("get", edit, {}),
        ("post", edit, change),
        ("get", delete, {}),
        ("post", delete, {}),
    ]


def snapshot(annotation: Annotation) -> tuple:
    annotation = Annotation.objects.get(pk=annotation.pk)
    return (
        annotation.note,
        annotation.visibility,
        annotation.version,
        annotation.updated,
        sorted(s.pk for s in annotation.stances.all()),
    )


@pytest.mark.parametrize("htmx", [False, True])
def test_another_users_private_annotation_is_404_whatever_the_method(bob_client, private, htmx):
    before = snapshot(private)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    for method, url, data in requests_on(private):
        response = getattr(bob_client, method)(url, data, **headers)
        assert response.status_code == 404, (method, url)
        assert b"secret-note-7" not in response.content
    assert snapshot(private) == before


@pytest.mark.parametrize("htmx", [False, True])
def test_staff_cannot_see_another_users_private_annotation(staff_client, private, htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    for method, url, data in requests_on(private):
        assert getattr(staff_client, method)(url, data, **headers).status_code == 404
    assert Annotation.objects.filter(pk=private.pk).exists()


def test_an_unknown_id_is_404_like_a_private_one(bob_client):
    for method, url, data in requests_on(Annotation(pk=uuid.uuid4(), version=1)):
        assert getattr(bob_client, method)(url, data).status_code == 404


def test_another_users_shared_annotation_can_be_read(bob_client, shared):
    response = bob_client.get(reverse("annotations:detail", args=[shared.pk]))
    assert response.status_code == 200
    assert b"shared-note-3" in response.content


@pytest.mark.parametrize("htmx", [False, True])
def test_another_users_shared_annotation_cannot_be_changed(bob_client, shared, stances, htmx):
    before = snapshot(shared)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    for method, url, data in requests_on(shared)[1:]:
        if method == "post" and "edit" in url:
            data = data | {"stances": [stances[1].pk]}
        response = getattr(bob_client, method)(url, data, **headers)
        assert response.status_code == 403, (method, url)
    assert snapshot(shared) == before


def test_staff_cannot_change_another_users_shared_annotation(staff_client, shared):
    before = snapshot(shared)
    for method, url, data in requests_on(shared)[1:]:
        assert getattr(staff_client, method)(url, data).status_code == 403
    assert snapshot(shared) == before


def test_owner_can_do_everything_to_their_private_annotation(alice_client, private):
    for method, url, data in requests_on(private)[:4]:
        assert getattr(alice_client, method)(url, data).status_code in (200, 302), url
    assert Annotation.objects.get(pk=private.pk).note == "hijacked"
    alice_client.post(reverse("annotations:delete", args=[private.pk]))
    assert not Annotation.objects.filter(pk=private.pk).exists()


def test_private_annotation_is_not_on_the_other_users_reading_page(
    bob_client, article, private, shared
):
    response = bob_client.get(article.get_absolute_url())
    html = response.content.decode()
    assert str(private.pk) not in html and "secret-note-7" not in html
    assert str(shared.pk) in html
    root = pages.page(response)
    marks = root.xpath('//*[@id="article-body"]//mark')
    assert "".join(m.text_content() for m in marks) == SHARED_QUOTE
    assert root.xpath('//aside//h2/*[@class="count"]')[0].text_content() == "(1)"


def test_private_annotation_is_in_its_owners_reading_page(alice_client, article, private):
    html = alice_client.get(article.get_absolute_url()).content.decode()
    assert str(private.pk) in html and "secret-note-7" in html


def test_private_annotation_is_not_counted_for_the_other_user(bob_client, article, private, shared):
    root = pages.page(bob_client.get(article.get_absolute_url()))
    legend = {
        " ".join(li.text_content().split()) for li in root.xpath('//ul[@class="stance-legend"]/li')
    }
    assert "1 Russia 1" in legend
    row = pages.page(bob_client.get(reverse("reader:article_list", args=["default"])))
    count = row.xpath('//li[contains(@class, "article-row")]//*[contains(@class, "count")]')[0]
    assert count.text_content().strip() == "1 annotation"


def test_private_annotation_author_is_not_offered_as_a_filter(bob_client, article, private):
    root = pages.page(bob_client.get(article.get_absolute_url()))
    authors = [o.text_content() for o in root.xpath('//select[@name="f_author"]/option')]
    assert "alice" not in authors


def test_filtering_by_author_does_not_reveal_private_annotations(bob_client, article, private):
    url = reverse("article_annotations:list", args=["default", article.slug])
    response = bob_client.get(url, {"f_author": "alice"}, HTTP_HX_REQUEST="true")
    assert str(private.pk) not in response.content.decode()


def test_private_annotation_is_not_in_the_fragment_after_the_other_user_annotates(
    bob_client, article, private
):
    start = article.text.index("Mr Lavrov reiterated")
    response = bob_client.post(
        reverse("annotations:create"),
        {"article": article.pk, "start": start, "end": start + 20, "quote": "Mr Lavrov reiterated"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert str(private.pk) not in response.content.decode()


def test_private_annotation_does_not_change_the_other_users_token(
    bob_client, article, alice, make_annotation
):
    url = reverse("article_annotations:changes", args=["default", article.slug])
    first = bob_client.get(url, HTTP_HX_REQUEST="true")
    token = first.content.decode().split("since=")[1].split('"')[0]
    note = make_annotation(alice, article, PRIVATE_QUOTE, visibility="private")
    assert (
        bob_client.get(url, {"since": _unquote(token)}, HTTP_HX_REQUEST="true").status_code == 204
    )
    from annotations.services import annotation_update

    annotation_update(
        annotation=note, version=1, stances=[], note="still private", visibility="private"
    )
    assert (
        bob_client.get(url, {"since": _unquote(token)}, HTTP_HX_REQUEST="true").status_code == 204
    )


def test_a_private_annotation_made_shared_becomes_visible(bob_client, article, private):
    from annotations.services import annotation_update

    annotation_update(
        annotation=private, version=1, stances=[], note="now public", visibility="shared"
    )
    assert bob_client.get(reverse("annotations:detail", args=[private.pk])).status_code == 200


def test_a_shared_annotation_made_private_disappears(bob_client, article, shared):
    from annotations.services import annotation_update

    annotation_update(annotation=shared, version=1, stances=[], note="", visibility="private")
    assert bob_client.get(reverse("annotations:detail", args=[shared.pk])).status_code == 404
    assert str(shared.pk) not in bob_client.get(article.get_absolute_url()).content.decode()


def _unquote(token: str) -> str:
    from html import unescape
    from urllib.parse import unquote

    return unquote(unescape(token))
