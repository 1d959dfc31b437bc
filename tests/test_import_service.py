"""The duplicate rule and re-imports through reader.services.article_import."""

from __future__ import annotations

import pytest

from reader import services
from reader.models import Article
from tests import pages
from tests.articles import FLOODS, html_article, plain_article

pytestmark = pytest.mark.django_db

URL = "https://news.example.org/2024/floods"


def test_same_url_twice_makes_one_article(alice):
    first = services.article_import(raw=html_article(*FLOODS), user=alice, url=URL)
    second = services.article_import(raw=html_article(*FLOODS), user=alice, url=URL)
    assert first.status == services.IMPORTED
    assert second.status == services.UNCHANGED
    assert second.article.pk == first.article.pk
    assert Article.objects.count() == 1


def test_url_spelling_does_not_make_a_duplicate(alice):
    services.article_import(raw=html_article(*FLOODS), user=alice, url=URL)
    changed = plain_article(*FLOODS, "A later paragraph was added to the story on Tuesday.")
    outcome = services.article_import(
        raw=changed, user=alice, url="HTTPS://News.Example.org/2024/floods#comments"
    )
    assert outcome.status == services.UPDATED
    assert Article.objects.count() == 1
    assert "added to the story" in Article.objects.get().text


def test_same_text_twice_without_url_makes_one_article(alice, bob):
    first = services.article_import(raw=plain_article(*FLOODS), user=alice, filename="a.txt")
    second = services.article_import(raw=plain_article(*FLOODS), user=bob, filename="copy.txt")
    assert second.status == services.UNCHANGED
    assert second.article.pk == first.article.pk
    assert Article.objects.count() == 1
    assert Article.objects.get().imported_by == alice


def test_same_text_with_different_whitespace_is_the_same_article(alice):
    services.article_import(raw=plain_article(*FLOODS), user=alice)
    spaced = b"\r\n\r\n".join(line.encode() + b"   " for line in FLOODS)
    outcome = services.article_import(raw=spaced, user=alice)
    assert outcome.status == services.UNCHANGED
    assert Article.objects.count() == 1


def test_seed_imported_twice_is_unchanged(article, alice, seed_bytes):
    again = services.article_import(raw=seed_bytes, user=alice, filename="again.txt")
    assert again.status == services.UNCHANGED
    assert Article.objects.count() == 1


def test_changed_text_at_same_url_updates_the_article(alice):
    first = services.article_import(raw=html_article(*FLOODS), user=alice, url=URL).article
    changed = html_article(FLOODS[0], *FLOODS[1:3], "The minister resigned on Friday.")
    outcome = services.article_import(raw=changed, user=alice, url=URL)
    assert outcome.status == services.UPDATED
    assert outcome.article.pk == first.pk
    article = Article.objects.get()
    assert "resigned" in article.text and "inquiry" not in article.text
    assert article.slug == first.slug
    assert bytes(article.raw_input) == changed


def test_import_keeps_blocks_offsets_consistent_for_html(alice):
    article = services.article_import(raw=html_article(*FLOODS), user=alice, url=URL).article
    body = pages.fragment(article.body_html)
    blocks = [el for el in body.iter() if el.get("data-offset") is not None]
    assert [b.text_content() for b in blocks][-3:] == list(FLOODS[1:])
    for block in blocks:
        offset = int(block.get("data-offset"))
        assert article.text[offset : offset + len(block.text_content())] == block.text_content()
