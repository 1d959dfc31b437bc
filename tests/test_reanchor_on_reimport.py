"""Re-importing an article with changed text re-anchors its annotations; none is lost."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.models import Annotation
from reader import services
from reader.models import Article
from tests import pages
from tests.articles import FLOODS, html_article, plain_article

pytestmark = pytest.mark.django_db

URL = "https://news.example.org/2024/floods"

QUOTE = "would pay for new walls and pumps"
DOOMED = "Critics said the plan came too late for families who lost their homes"


@pytest.fixture
def flood_article(alice):
    return services.article_import(raw=html_article(*FLOODS), user=alice, url=URL).article


def test_text_inserted_before_keeps_annotation_on_its_quote(flood_article, alice, make_annotation):
    annotation = make_annotation(alice, flood_article, QUOTE, note="cost?")
    inserted = "A spokesman added that the work would begin before the winter rains arrive."
    changed = html_article(FLOODS[0], inserted, *FLOODS[1:])
    outcome = services.article_import(raw=changed, user=alice, url=URL)
    assert outcome.status == services.UPDATED
    annotation.refresh_from_db()
    text = outcome.article.text
    assert annotation.start > text.index(inserted)
    assert text[annotation.start : annotation.end] == QUOTE == annotation.quote
    assert annotation.anchor_status in (
        Annotation.AnchorStatus.MOVED,
        Annotation.AnchorStatus.ANCHORED,
    )
    assert annotation.note == "cost?"


def test_removed_sentence_orphans_but_keeps_the_annotation(
    flood_article, alice, alice_client, make_annotation
):
    doomed = make_annotation(alice, flood_article, DOOMED, note="who are the critics?")
    kept = make_annotation(alice, flood_article, QUOTE)
    changed = html_article(*FLOODS[:3])
    services.article_import(raw=changed, user=alice, url=URL)
    doomed.refresh_from_db()
    kept.refresh_from_db()
    assert doomed.anchor_status == Annotation.AnchorStatus.ORPHANED
    assert doomed.quote == DOOMED and doomed.note == "who are the critics?"
    assert kept.anchor_status != Annotation.AnchorStatus.ORPHANED
    assert Annotation.objects.count() == 2

    page = pages.page(alice_client.get(flood_article.get_absolute_url()))
    orphaned = page.xpath('//section[contains(@class, "orphaned")]')
    assert len(orphaned) == 1
    assert "Orphaned" in orphaned[0].text_content()
    assert f"ann-{doomed.pk}" in [li.get("id") for li in orphaned[0].iter("li")]
    marks = page.xpath('//*[@id="article-body"]//mark')
    doomed.refresh_from_db()
    kept.refresh_from_db()
    assert all(pages.covering_ids(m, [kept]) == str(kept.pk) for m in marks)
    assert pages.marks_of(page, kept)


def test_orphaned_annotation_is_not_attached_to_a_look_alike(flood_article, alice, make_annotation):
    doomed = make_annotation(alice, flood_article, DOOMED)
    look_alike = "Critics said the scheme was welcome, and families praised the quick response."
    services.article_import(raw=html_article(*FLOODS[:3], look_alike), user=alice, url=URL)
    doomed.refresh_from_db()
    assert doomed.anchor_status == Annotation.AnchorStatus.ORPHANED


def test_unchanged_reimport_leaves_annotations_alone(flood_article, alice, make_annotation):
    annotation = make_annotation(alice, flood_article, QUOTE)
    before = (annotation.start, annotation.end, annotation.anchor_status, annotation.updated)
    services.article_import(raw=html_article(*FLOODS), user=alice, url=URL)
    annotation.refresh_from_db()
    assert (
        annotation.start,
        annotation.end,
        annotation.anchor_status,
        annotation.updated,
    ) == before


def test_reanchored_highlight_renders_on_its_quote(
    flood_article, alice, alice_client, make_annotation
):
    annotation = make_annotation(alice, flood_article, QUOTE)
    changed = plain_article(
        FLOODS[0], "An opening paragraph that was not there before.", *FLOODS[1:]
    )
    services.article_import(raw=changed, user=alice, url=URL)
    annotation.refresh_from_db()
    article = Article.objects.get()
    assert article.text[annotation.start : annotation.end] == QUOTE
    response = alice_client.get(reverse("reader:article_detail", args=["default", article.slug]))
    marks = pages.page(response).xpath('//*[@id="article-body"]//mark')
    assert "".join(m.text_content() for m in marks) == QUOTE
