"""Django's debug pages never appear in a normal flow: a stale draft, a deleted
annotation's card, a bookmark with a bad filter, a missing page, an expired form and
a server error each answer in the site's style with a way on — with DEBUG on, as
`make run` serves, as well as off."""

from __future__ import annotations

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse
from django.views.defaults import server_error

from reader.models import ImportDraft
from tests.conftest import SEED

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(params=[True, False], ids=["debug", "no-debug"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


def site_page(response) -> lxml.html.HtmlElement:
    """The response as a page of the site (its header and stylesheet), not Django's."""
    content = response.content.decode()
    assert "Traceback" not in content and "technical" not in content
    assert "Django" not in content, "Django's own page"
    page = lxml.html.fromstring(content)
    assert page.xpath('//a[@class="brand"]'), "not in the site's layout"
    assert page.xpath('//link[@rel="stylesheet"]')
    return page


def links(page) -> dict[str, str]:
    return {" ".join(a.text_content().split()): a.get("href") for a in page.xpath("//main//a")}


def test_a_bookmark_with_a_bad_filter_says_so_and_offers_the_page_without(
    debug, alice_client, article
):
    response = alice_client.get(article.get_absolute_url(), {"f_stance": "russia"})
    assert response.status_code == 400
    page = site_page(response)
    assert "stance filter" in page.text_content()
    assert links(page)["Show this page without its filters"] == article.get_absolute_url()


def test_a_stale_draft_says_it_is_no_longer_waiting_and_where_to_go(debug, alice_client, alice):
    gone, waiting = (
        ImportDraft.objects.create(user=alice, raw_input=SEED.read_bytes(), filename=SEED.name)
        for _ in range(2)
    )
    gone_pk = gone.pk
    gone.delete()
    for method, name in (
        ("get", "draft_preview"),
        ("post", "draft_preview"),
        ("post", "draft_save"),
        ("post", "draft_discard"),
    ):
        response = getattr(alice_client, method)(reverse(f"reader:{name}", args=["default", gone_pk]))
        assert response.status_code == 404, name
        page = site_page(response)
        assert "no longer waiting" in page.text_content()
        assert links(page)["Go on to the next import waiting"] == reverse(
            "reader:draft_preview", args=["default", waiting.pk]
        )
    # The preview's htmx form selects #preview from the answer: the message is in it.
    response = alice_client.post(reverse("reader:draft_preview", args=["default", gone_pk]), **HTMX)
    assert (
        "no longer waiting"
        in lxml.html.fromstring(response.content).get_element_by_id("preview").text_content()
    )
    assert ImportDraft.objects.get() == waiting


def test_a_deleted_annotations_card_says_so_in_place(
    debug, alice_client, alice, article, make_annotation
):
    annotation = make_annotation(alice, article, "Russia")
    pk = annotation.pk
    annotation.delete()
    for name, method in (("edit", "get"), ("edit", "post"), ("delete", "post"), ("detail", "get")):
        url = reverse(f"annotations:{name}", args=[pk])
        response = getattr(alice_client, method)(url)
        assert response.status_code == 404, name
        assert "no longer exists" in site_page(response).text_content()

        response = getattr(alice_client, method)(
            url, HTTP_HX_CURRENT_URL=f"http://testserver{article.get_absolute_url()}", **HTMX
        )
        assert response.status_code == 404, name
        assert response["HX-Retarget"] == f"#ann-{pk}"
        fragment = lxml.html.fragment_fromstring(response.content.decode())
        assert "no longer exists" in fragment.text_content()
        assert fragment.xpath("//a")[0].get("href") == article.get_absolute_url()


def test_a_missing_page_is_the_sites_not_found_page(debug, alice_client):
    response = alice_client.get("/articles/no-such-article/")
    assert response.status_code == 404
    assert links(site_page(response))["Back to the articles"] == "/"


def test_a_missing_page_asked_by_htmx_is_a_fragment_with_a_way_on(debug, alice_client):
    response = alice_client.get("/articles/no-such-article/annotations/", **HTMX)
    assert response.status_code == 404
    assert b"<html" not in response.content
    assert b"Reload the page" in response.content


def test_an_expired_form_is_the_sites_page(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(reverse("reader:article_import", args=["default"]), {"text": "x"})
    assert response.status_code == 403
    assert "This form has expired" in site_page(response).text_content()


def test_a_server_error_is_the_sites_page(rf):
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert links(site_page(response))["Back to the articles"] == "/"
