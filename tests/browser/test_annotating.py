"""Making annotations on the reading page, and seeing the team's, in real Chromium."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from annotations.models import Annotation

from .helpers import drag_select, highlight, selected_text

CLAIM = "Russia has been a key ally to Syria during the crisis"
PRIVATE_CLAIM = "Damascus has denied all the claims of abuse."
PRIVATE_NOTE = "Check against the UN report before citing."


def mark_of(page: Page, annotation: Annotation):
    return page.locator(highlight(annotation))


def test_alice_tags_a_mouse_selection_and_bob_sees_only_her_shared_highlight_live(
    seed_article, alice, bob, stances, user_page
):
    bob_page = user_page(bob)
    bob_page.goto(seed_article.get_absolute_url())
    alice_page = user_page(alice)
    alice_page.goto(seed_article.get_absolute_url())

    drag_select(alice_page, CLAIM)
    assert selected_text(alice_page) == CLAIM
    expect(alice_page.locator("#toolbar")).to_be_visible()
    alice_page.keyboard.press("1")
    expect(alice_page.locator("#article-body mark")).to_have_count(1)
    expect(alice_page.locator("#toolbar")).to_be_hidden()
    shared = Annotation.objects.get(user=alice, visibility="shared")
    assert (shared.start, shared.end, shared.quote) == (
        seed_article.text.index(CLAIM),
        seed_article.text.index(CLAIM) + len(CLAIM),
        CLAIM,
    )
    assert [s.name for s in shared.stances.all()] == ["Russia"]

    drag_select(alice_page, PRIVATE_CLAIM)
    expect(alice_page.locator("#toolbar")).to_be_visible()
    alice_page.keyboard.press("n")
    expect(alice_page.locator("#toolbar textarea[name=note]")).to_be_focused()
    alice_page.keyboard.type(PRIVATE_NOTE)
    alice_page.locator("#toolbar").get_by_label("Private").check()
    alice_page.locator("#toolbar textarea[name=note]").press("Enter")
    expect(alice_page.locator("#toolbar")).to_be_hidden()
    private = Annotation.objects.get(user=alice, visibility="private")
    assert (private.quote, private.note) == (PRIVATE_CLAIM, PRIVATE_NOTE)

    alice_page.reload()
    expect(mark_of(alice_page, shared)).to_have_text(CLAIM)
    expect(mark_of(alice_page, private)).to_have_text(PRIVATE_CLAIM)
    expect(alice_page.locator(f"#ann-{private.pk} .note")).to_have_text(PRIVATE_NOTE)
    expect(alice_page.locator(f"#ann-{shared.pk} .chips")).to_have_text("Russia")

    # Bob never reloads: the poller brings alice's shared highlight in.
    expect(mark_of(bob_page, shared)).to_have_text(CLAIM, timeout=10_000)
    expect(mark_of(bob_page, private)).to_have_count(0)
    expect(bob_page.locator("#annotated")).not_to_contain_text(PRIVATE_NOTE)
    card = bob_page.locator(f"#ann-{shared.pk}")
    expect(card).to_contain_text("alice")
    expect(card.get_by_role("link", name="Edit")).to_have_count(0)
    expect(card.get_by_role("link", name="Delete")).to_have_count(0)
    expect(bob_page.locator(".card-actions")).to_have_count(0)


def test_a_refresh_from_others_waits_until_the_reader_closes_the_toolbar(
    seed_article, alice, bob, make_annotation, user_page
):
    bob_page = user_page(bob)
    bob_page.goto(seed_article.get_absolute_url())
    mine = "The unease over the offer highlights the different views"
    drag_select(bob_page, mine)
    expect(bob_page.locator("#toolbar")).to_be_visible()

    theirs = make_annotation(alice, seed_article, CLAIM, stance_names=["Russia"])
    # The poller notices alice's annotation; the refresh it asks for is held back.
    with bob_page.expect_response(
        lambda r: "/annotations/changes/" in r.url and r.status == 200, timeout=10_000
    ):
        pass
    bob_page.wait_for_timeout(500)
    assert selected_text(bob_page) == mine
    expect(bob_page.locator("#toolbar")).to_be_visible()
    expect(mark_of(bob_page, theirs)).to_have_count(0)

    bob_page.keyboard.press("Escape")
    expect(mark_of(bob_page, theirs)).to_have_text(CLAIM)
    expect(bob_page.locator(f"#ann-{theirs.pk}")).to_contain_text("alice")


def test_an_edit_being_typed_survives_a_refresh_from_others(
    seed_article, alice, bob, make_annotation, user_page
):
    own = make_annotation(bob, seed_article, "Damascus has denied all the claims of abuse.")
    bob_page = user_page(bob)
    bob_page.goto(seed_article.get_absolute_url())
    bob_page.locator(f"#ann-{own.pk}").get_by_role("link", name="Edit").click()
    note = bob_page.locator(f"#ann-{own.pk} textarea[name=note]")
    note.fill("Denial only; no evidence offered.")

    theirs = make_annotation(alice, seed_article, CLAIM, stance_names=["Russia"])
    with bob_page.expect_response(
        lambda r: "/annotations/changes/" in r.url and r.status == 200, timeout=10_000
    ):
        pass
    bob_page.wait_for_timeout(500)
    expect(note).to_have_value("Denial only; no evidence offered.")

    bob_page.locator(f"#ann-{own.pk}").get_by_role("button", name="Save").click()
    expect(bob_page.locator(f"#ann-{own.pk} .note")).to_have_text(
        "Denial only; no evidence offered."
    )
    expect(mark_of(bob_page, theirs)).to_have_text(CLAIM)
    own.refresh_from_db()
    assert own.note == "Denial only; no evidence offered."
