"""A new user signs up, imports the seed scrape through the import page and reads it."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from reader.models import Article

from .conftest import SEED

EXPECTED = json.loads(SEED.with_suffix(".expected.json").read_text(encoding="utf-8"))
RESTORED = "Your support makes all the difference."


def test_new_user_imports_the_seed_restoring_one_dropped_block_and_reads_it_clean(page, stances):
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("carol")
    page.get_by_label("Password:", exact=True).fill("a-long-test-password-81")
    page.get_by_label("Password confirmation").fill("a-long-test-password-81")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    # A new account is in no project yet: it starts one and lands in it.
    expect(page.get_by_text("You are not in any project yet")).to_be_visible()
    page.get_by_label("Name").fill("Carol's reading")
    page.get_by_role("button", name="Create the project").click()
    expect(page.locator(".project-switcher summary")).to_contain_text("Carol's reading")

    page.get_by_role("navigation").get_by_role("link", name="Import").click()
    page.get_by_label("Paste the article").fill(SEED.read_text(encoding="utf-8"))
    page.get_by_role("button", name="Preview").click()

    preview = page.locator("#preview")
    expect(page.get_by_label("Title")).to_have_value(EXPECTED["title"])
    dropped = preview.locator(".dropped-block", has_text=RESTORED)
    expect(dropped).to_have_count(1)
    expect(preview.locator(".preview-article")).not_to_contain_text(RESTORED)
    dropped.locator(".dropped-text").click()
    # The preview is redrawn by the server with the block back in the article.
    expect(preview.locator(".preview-article")).to_contain_text(RESTORED)
    expect(preview.locator(".dropped-block.is-restored")).to_contain_text(RESTORED)

    page.get_by_role("button", name="Save article").click()
    expect(page.locator("#article-body")).to_be_visible()
    article = Article.objects.get()
    assert page.url.endswith(article.get_absolute_url())
    expect(page.locator("h1.title")).to_have_text(EXPECTED["title"])
    expect(page.locator(".reading .byline")).to_have_text(EXPECTED["byline"])
    expect(page.locator(".reading .subtitle")).to_have_text(EXPECTED["subtitle"])

    shown = page.locator("main").inner_text()
    blocks = page.locator("#article-body").evaluate(
        """body => Array.from(body.querySelectorAll("p, h2, h3, h4, blockquote, li, figcaption"))
              .map(b => [b.textContent, b.dataset.offset ?? null])"""
    )
    block_texts = [text for text, _ in blocks]
    for line in set(EXPECTED["removed_as_boilerplate"]) - {RESTORED}:
        assert line not in block_texts
        if len(line) > 20:
            assert line not in shown
    assert RESTORED in block_texts
    for paragraph in EXPECTED["body_paragraphs"]:
        assert paragraph in block_texts
    assert all(offset is not None for _, offset in blocks)
    assert [article.text[int(offset) :].startswith(text) for text, offset in blocks] == [
        True
    ] * len(blocks)


def test_details_typed_in_the_preview_survive_a_restore_and_a_second_save_says_already_saved(
    user_page, alice, stances
):
    page = user_page(alice)
    page.goto("/articles/import/")
    page.get_by_label("Paste the article").fill(SEED.read_text(encoding="utf-8"))
    page.get_by_role("button", name="Preview").click()
    page.get_by_label("Title").fill("Lavrov on Iran and the Syria talks")
    page.get_by_label("Byline").fill("K. Gander")
    preview = page.locator("#preview")
    # Restoring a block redraws the preview (htmx); the details typed above stay as typed.
    preview.locator(".dropped-block", has_text=RESTORED).locator(".dropped-text").click()
    expect(preview.locator(".preview-article")).to_contain_text(RESTORED)
    expect(page.get_by_label("Title")).to_have_value("Lavrov on Iran and the Syria talks")
    expect(page.get_by_label("Byline")).to_have_value("K. Gander")

    # Enter in a details field saves, as the form's Save button does.
    page.get_by_label("Byline").press("Enter")
    expect(page.locator("h1.title")).to_have_text("Lavrov on Iran and the Syria talks")
    article = Article.objects.get()
    assert (article.title, article.byline) == ("Lavrov on Iran and the Syria talks", "K. Gander")
    assert RESTORED in article.text

    page.go_back()
    if page.get_by_role("button", name="Save article").count():  # the page came from the cache
        page.get_by_role("button", name="Save article").click()
    expect(page.get_by_role("heading", name="This import was already saved")).to_be_visible()
    page.get_by_role("link", name="Lavrov on Iran and the Syria talks").click()
    expect(page.locator("h1.title")).to_have_text("Lavrov on Iran and the Syria talks")
    assert Article.objects.count() == 1
