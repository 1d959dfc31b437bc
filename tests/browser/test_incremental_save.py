"""On an annotated article a save patches the page in place, and the patch is what a reload shows."""

from __future__ import annotations

from playwright.sync_api import expect

from annotations.models import Annotation

from .helpers import drag_select, highlight

CLAIM = (
    "The unease over the offer highlights the different views over Syria held by the US and Russia."
)
EARLIER = "Russia’s Foreign Minister has called the decision"
LATER = "Damascus has denied all the claims of abuse."


def test_a_save_on_an_annotated_article_is_patched_in_and_matches_a_reload(
    seed_article, alice, bob, stances, user_page, make_annotation
):
    make_annotation(bob, seed_article, EARLIER, stance_names=[stances[0].name])
    later = make_annotation(bob, seed_article, LATER, stance_names=[stances[1].name])
    page = user_page(alice)
    page.goto(seed_article.get_absolute_url())
    expect(page.locator("#annotation-list .card")).to_have_count(2)

    drag_select(page, CLAIM)
    expect(page.locator("#toolbar")).to_be_visible()
    with page.expect_response(lambda r: r.url.endswith("/annotations/new/")) as saved:
        page.keyboard.press("2")
    assert saved.value.headers.get("hx-reswap") == "none"
    new = Annotation.objects.get(user=alice)
    expect(page.locator(highlight(new))).to_have_text(CLAIM)
    cards = page.locator("#annotation-list .card")
    expect(cards).to_have_count(3)
    # In document order: the new card sits before the later one.
    ids = [c.get_attribute("id") for c in cards.all()]
    assert ids.index(f"ann-{new.pk}") == ids.index(f"ann-{later.pk}") - 1
    expect(page.locator("#annotation-total")).to_have_text("(3)")
    expect(page.locator("#stance-legend")).to_contain_text("United States 2")
    patched = page.locator("#annotated").inner_html()
    assert "hx-swap-oob" not in patched
    marks_script = "marks => marks.map(m => [m.textContent, `${m.dataset.start}-${m.dataset.end}`, m.className])"
    patched_marks = page.locator("#article-body mark").evaluate_all(marks_script)
    patched_ids = [c.get_attribute("id") for c in cards.all()]

    page.reload()
    expect(page.locator("#annotation-list .card")).to_have_count(3)
    assert page.locator("#article-body mark").evaluate_all(marks_script) == patched_marks
    assert [c.get_attribute("id") for c in cards.all()] == patched_ids
    assert [CLAIM, f"{new.start}-{new.end}", f"hl hl-mine s-{stances[1].pk}"] in patched_marks
