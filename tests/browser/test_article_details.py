"""The importer corrects an article's details in place on the reading page (htmx); the
text and every highlight stay where they were. Someone else is offered no such thing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation
from reader.models import Article

CLAIM = "Russia has been a key ally to Syria during the crisis"


def offsets(article) -> list[tuple]:
    return list(
        Annotation.objects.filter(article=article)
        .order_by("pk")
        .values_list("start", "end", "quote", "prefix", "suffix")
    )


def test_the_importer_corrects_the_title_in_place_and_the_highlights_stay(
    seed_article, alice, make_annotation, user_page
):
    annotation = make_annotation(alice, seed_article, CLAIM, stance_names=("Russia",))
    before, text = offsets(seed_article), seed_article.text
    page = user_page(alice)
    page.goto(seed_article.get_absolute_url())
    mark = page.locator(f"#article-body mark[data-start='{annotation.start}']").first
    expect(mark).to_have_text(CLAIM[: len(mark.inner_text())])
    url = page.url

    page.get_by_role("link", name="Edit details").click()
    title = page.get_by_label("Title")
    expect(title).to_be_focused()
    expect(title).to_have_value(seed_article.title)
    title.fill("Lavrov: Iran's lost invitation a mistake")
    page.get_by_label("Byline").fill("Kashmira Gander, with AP")
    page.get_by_role("button", name="Save details").click()

    expect(page.locator("h1.title")).to_have_text("Lavrov: Iran's lost invitation a mistake")
    expect(page.locator("#article-details .byline")).to_have_text("Kashmira Gander, with AP")
    expect(page.get_by_role("button", name="Save details")).to_have_count(0)
    assert page.url == url  # swapped in place, no new page
    expect(mark).to_be_visible()
    stored = Article.objects.get(pk=seed_article.pk)
    assert (stored.title, stored.byline) == (
        "Lavrov: Iran's lost invitation a mistake",
        "Kashmira Gander, with AP",
    )
    assert stored.text == text and offsets(stored) == before

    # Cancel puts the heading back as it was, unchanged.
    page.get_by_role("link", name="Edit details").click()
    page.get_by_label("Title").fill("Not this one")
    page.get_by_role("link", name="Cancel").click()
    expect(page.locator("h1.title")).to_have_text("Lavrov: Iran's lost invitation a mistake")
    assert Article.objects.get(pk=seed_article.pk).title == stored.title


# The refusal is a 422 that htmx swaps in (the page's htmx config): asked for here.
@pytest.mark.page_problems_expected("response 422: POST")
def test_an_empty_title_is_refused_in_place(seed_article, alice, user_page):
    page = user_page(alice)
    page.goto(seed_article.get_absolute_url())
    page.get_by_role("link", name="Edit details").click()
    page.get_by_label("Title").fill("")
    # The browser's own check would stop an empty required field; the server's answer
    # is what this tests, so the form is sent without it.
    page.locator("#article-details").evaluate("form => form.setAttribute('novalidate', '')")
    page.get_by_role("button", name="Save details").click()
    expect(page.locator("#article-details [role=alert]")).to_contain_text("This field is required.")
    assert Article.objects.get(pk=seed_article.pk).title == seed_article.title


def test_another_reader_is_offered_no_edit(seed_article, bob, user_page):
    page = user_page(bob)
    page.goto(seed_article.get_absolute_url())
    expect(page.locator("h1.title")).to_have_text(seed_article.title)
    expect(page.get_by_role("link", name="Edit details")).to_have_count(0)
