"""The article list and the reading page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from reader import services
from reader.models import Article
from tests import pages
from tests.articles import FLOODS, html_article, numbered_article

pytestmark = pytest.mark.django_db

LIST = reverse("reader:article_list", args=["default"])


def rows(response) -> list:
    return pages.page(response).xpath('//li[contains(@class, "article-row")]')


def row_titles(response) -> list[str]:
    return [r.xpath(".//h2")[0].text_content().strip() for r in rows(response)]


@pytest.fixture
def harbour(alice) -> list[Article]:
    """Three articles with known published dates; imported in the order 2, 3, 1."""
    made = {}
    for n in (2, 3, 1):
        article = services.article_import(raw=numbered_article(n), user=alice).article
        article.published = dt.datetime(2020, 1, n, tzinfo=dt.UTC)
        article.save(update_fields=["published"])
        made[n] = article
    return [made[1], made[2], made[3]]


def test_list_shows_title_source_date_byline_and_word_count(alice_client, article):
    response = alice_client.get(LIST)
    assert response.status_code == 200
    (row,) = rows(response)
    text = " ".join(row.text_content().split())
    link = row.xpath(".//h2/a")[0]
    assert link.get("href") == article.get_absolute_url()
    assert link.text_content() == article.title
    assert "The Independent" in text
    assert "21 Jan 2014" in text
    assert "Kashmira Gander" in text
    assert f"{article.word_count} words" in text
    assert "0 annotations" in text


def test_list_counts_annotations_without_others_private_ones(
    alice_client, bob_client, alice, bob, article, make_annotation
):
    make_annotation(alice, article, "Damascus has denied")
    make_annotation(alice, article, "Additional reporting", visibility="private")
    make_annotation(bob, article, "Mr Lavrov reiterated", visibility="private")
    make_annotation(bob, article, "The unease over the offer")

    def count(client) -> str:
        row = rows(client.get(LIST))[0]
        return row.xpath('.//*[contains(@class, "count")]')[0].text_content().strip()

    assert count(alice_client) == "3 annotations"
    assert count(bob_client) == "3 annotations"


def test_list_search_covers_title_and_text(alice_client, article, harbour):
    assert row_titles(alice_client.get(LIST, {"q": "peace talks"})) == [article.title]
    assert row_titles(alice_client.get(LIST, {"q": "Damascus denied"})) == [article.title]
    assert row_titles(alice_client.get(LIST, {"q": "3000 pounds"})) == [harbour[2].title]
    response = alice_client.get(LIST, {"q": "zebra crossing"})
    assert rows(response) == []
    assert "No article matches" in response.content.decode()


def test_list_search_is_case_insensitive(alice_client, article):
    assert row_titles(alice_client.get(LIST, {"q": "LAVROV"})) == [article.title]


def test_list_sorts_by_published_imported_and_title(alice_client, harbour):
    by_published = row_titles(alice_client.get(LIST, {"sort": "published"}))
    assert by_published == [harbour[2].title, harbour[1].title, harbour[0].title]
    by_imported = row_titles(alice_client.get(LIST, {"sort": "imported"}))
    assert by_imported == [harbour[0].title, harbour[2].title, harbour[1].title]
    by_title = row_titles(alice_client.get(LIST, {"sort": "title"}))
    assert by_title == sorted(by_title)


def test_list_ignores_an_unknown_sort(alice_client, harbour):
    response = alice_client.get(LIST, {"sort": "password"})
    assert response.status_code == 200
    assert len(rows(response)) == 3


def test_list_paginates(alice_client, alice):
    for n in range(30):
        services.article_import(raw=numbered_article(n), user=alice)
    first = alice_client.get(LIST)
    assert len(rows(first)) == 25
    assert "Page 1 of 2" in first.content.decode()
    second = alice_client.get(LIST, {"page": 2})
    assert len(rows(second)) == 5
    assert set(row_titles(first)).isdisjoint(row_titles(second))
    assert len(rows(alice_client.get(LIST, {"page": "999"}))) == 5
    assert len(rows(alice_client.get(LIST, {"page": "abc"}))) == 25


def test_list_fragment_for_htmx_search(alice_client, article, harbour):
    response = alice_client.get(
        LIST, {"q": "harbour"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="article-results"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    assert html.strip().startswith('<div id="article-results">')
    titles = [t.text_content() for t in pages.parse(html).xpath("//h2")]
    assert sorted(titles) == sorted(a.title for a in harbour)


def test_list_full_page_for_other_htmx_targets(alice_client, article):
    response = alice_client.get(LIST, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="main")
    assert b"<html" in response.content


def test_empty_list_invites_an_import(alice_client):
    response = alice_client.get(LIST)
    assert reverse("reader:article_import", args=["default"]).encode() in response.content
    assert rows(response) == []


# ---------------------------------------------------------------- reading page


def test_reading_page_shows_the_article_header(alice_client, article):
    response = alice_client.get(article.get_absolute_url())
    assert response.status_code == 200
    root = pages.page(response)
    assert root.xpath("//h1")[0].text_content() == article.title
    assert root.xpath('//*[@class="subtitle"]')[0].text_content() == article.subtitle
    assert root.xpath('//*[@class="byline"]')[0].text_content() == "Kashmira Gander"
    time = root.xpath("//header//time")[0]
    assert time.get("datetime") == "2014-01-21T12:32:00+00:00"
    assert "21 January 2014" in time.text_content()
    assert "The Independent" in root.xpath('//*[contains(@class, "source")]')[0].text_content()


def test_reading_page_links_to_the_source(alice_client, alice):
    url = "https://news.example.org/floods"
    article = services.article_import(raw=html_article(*FLOODS), user=alice, url=url).article
    root = pages.page(alice_client.get(article.get_absolute_url()))
    link = root.xpath('//header//a[contains(@class, "source")]')[0]
    assert link.get("href") == url
    assert "noopener" in link.get("rel")


def test_reading_page_body_is_inside_hx_disable(alice_client, article):
    root = pages.page(alice_client.get(article.get_absolute_url()))
    body = pages.article_body(root)
    assert body.get("hx-disable") is not None
    figcaptions = body.xpath(".//figure/figcaption")
    assert [f.text_content() for f in figcaptions] == [article.text.split("\n\n")[0]]


def test_every_block_on_the_reading_page_has_its_offset(alice_client, article):
    body = pages.article_body(pages.page(alice_client.get(article.get_absolute_url())))
    blocks = body.xpath(".//p | .//figcaption | .//h2 | .//h3 | .//h4 | .//blockquote | .//li")
    assert len(blocks) == len(article.text.split("\n\n"))
    for block in blocks:
        offset = int(block.get("data-offset"))
        text = block.text_content()
        assert article.text[offset : offset + len(text)] == text


def test_reading_page_of_an_unknown_slug_is_404(alice_client):
    assert alice_client.get(reverse("reader:article_detail", args=["default", "no-such"])).status_code == 404


def test_reading_page_has_the_annotation_toolbar(alice_client, article, stances):
    root = pages.page(alice_client.get(article.get_absolute_url()))
    toolbar = root.xpath('//form[@id="toolbar"]')[0]
    assert toolbar.get("action") == reverse("annotations:create")
    labels = " ".join(toolbar.text_content().split())
    for stance in stances:
        assert stance.name in labels
