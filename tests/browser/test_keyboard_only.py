"""Annotating with the keyboard alone, in Chromium: Tab, a sentence cursor, stances, a note,
then j to the annotation, edit it and delete it — no mouse anywhere."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from annotations.models import Annotation

from .helpers import highlight, htmx_settled, selected_text

SENTENCE = (
    "Russia’s Foreign Minister has called the decision by the UN Secretary-General to withdraw "
    "Iran’s invitation to join Syria peace talks a mistake, but not a catastrophe."
)


def active_id(page: Page) -> str:
    return page.evaluate("() => document.activeElement?.id ?? ''")


def tab_into_article(page: Page) -> None:
    for _ in range(40):
        page.keyboard.press("Tab")
        if active_id(page) == "article-body":
            return
    raise AssertionError("Tab never reached the article text")


def test_the_whole_round_trip_with_the_keyboard_only(seed_article, alice, stances, user_page):
    russia, usa, _ = stances
    page = user_page(alice)
    page.goto(seed_article.get_absolute_url())
    tab_into_article(page)
    expect(page.locator("#caret")).to_be_visible()
    expect(page.locator("#toolbar")).to_be_hidden()

    # `s` selects the sentence at the caret; `}` walks on sentence by sentence.
    page.keyboard.press("s")
    expect(page.locator("#toolbar")).to_be_visible()
    for _ in range(8):
        if selected_text(page) == SENTENCE:
            break
        page.keyboard.press("}")
    assert selected_text(page) == SENTENCE
    # The toolbar took focus, shows the (shortened) quote and its offsets.
    assert page.evaluate("() => document.getElementById('toolbar-dialog').contains(document.activeElement)")
    expect(page.locator("#toolbar-dialog")).to_have_attribute("role", "dialog")
    expect(page.locator("#toolbar-quote")).to_contain_text("Russia’s Foreign Minister")
    expect(page.locator("#toolbar-quote")).to_contain_text("catastrophe.")
    start = seed_article.text.index(SENTENCE)
    expect(page.locator("#toolbar input[name=start]")).to_have_value(str(start))

    # `]` grows by a word, `[` shrinks back.
    page.keyboard.press("]")
    assert selected_text(page).startswith(SENTENCE) and selected_text(page) != SENTENCE
    page.keyboard.press("[")
    assert selected_text(page) == SENTENCE

    # Tab stays inside the open toolbar.
    for _ in range(12):
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.getElementById('toolbar-dialog').contains(document.activeElement)")

    # Shift+digit collects stances, and the toolbar shows them checked.
    page.keyboard.press("Shift+1")
    page.keyboard.press("Shift+2")
    expect(page.locator(f"#toolbar input[name=stances][value='{russia.pk}']")).to_be_checked()
    expect(page.locator(f"#toolbar input[name=stances][value='{usa.pk}']")).to_be_checked()
    expect(page.locator(".toolbar-stances label:has(input:checked)")).to_have_count(2)
    page.keyboard.press("n")
    expect(page.locator("#toolbar textarea[name=note]")).to_be_focused()
    expect(page.locator("#toolbar-quote")).to_be_visible()
    page.keyboard.type("Lavrov on the withdrawn invitation.")
    with page.expect_response(lambda r: r.url.endswith("/annotations/new/")):
        page.keyboard.press("Enter")
    expect(page.locator("#toolbar")).to_be_hidden()
    saved = Annotation.objects.get()
    assert saved.quote == SENTENCE
    assert {s.pk for s in saved.stances.all()} == {russia.pk, usa.pk}
    assert saved.note == "Lavrov on the withdrawn invitation."
    expect(page.locator(highlight(saved)).first).to_be_visible()
    # Focus went back to the text.
    expect(page.locator("#article-body")).to_be_focused()

    # j moves to the annotation; e opens its edit form at the note.
    page.keyboard.press("j")
    card = page.locator(f"#ann-{saved.pk}")
    expect(card).to_be_focused()
    page.keyboard.press("e")
    note = card.locator("textarea[name=note]")
    expect(note).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.type(" Checked.")
    # On to Save with Tab, past the visibility choice.
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('.edit-form button[type=submit]')"):
            break
    with page.expect_response(lambda r: f"/annotations/{saved.pk}/" in r.url):
        page.keyboard.press("Enter")
    expect(page.locator(f"#ann-{saved.pk} .note")).to_have_text(
        "Lavrov on the withdrawn invitation. Checked."
    )
    saved.refresh_from_db()
    assert saved.note == "Lavrov on the withdrawn invitation. Checked."
    assert {s.pk for s in saved.stances.all()} == {russia.pk, usa.pk}

    # Delete: j to the card, Tab to its Delete link, Enter, confirm. First let htmx finish
    # the save's swap: until it has processed the new card, its Delete is a plain link to
    # the confirmation page (the page without JavaScript), not the htmx delete.
    htmx_settled(page)
    page.keyboard.press("j")
    expect(card).to_be_focused()
    for _ in range(4):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent === 'Delete'"):
            break
    page.once("dialog", lambda d: d.accept())
    with page.expect_response(
        lambda r: f"/annotations/{saved.pk}/delete/" in r.url and r.request.method == "POST"
    ):
        page.keyboard.press("Enter")
    expect(page.locator("#annotation-list .card")).to_have_count(0)
    assert Annotation.objects.count() == 0


def test_esc_closes_the_toolbar_and_gives_focus_back_to_the_text(seed_article, alice, user_page):
    page = user_page(alice)
    page.goto(seed_article.get_absolute_url())
    tab_into_article(page)
    page.keyboard.press("s")
    expect(page.locator("#toolbar")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#toolbar")).to_be_hidden()
    expect(page.locator("#article-body")).to_be_focused()
    assert selected_text(page) == ""
    # The caret is back, and `s` works again from where it was.
    expect(page.locator("#caret")).to_be_visible()
    page.keyboard.press("s")
    expect(page.locator("#toolbar")).to_be_visible()


def test_a_digit_then_n_opens_the_note_of_what_was_just_saved(seed_article, alice, stances, user_page):
    page = user_page(alice)
    page.goto(seed_article.get_absolute_url())
    tab_into_article(page)
    page.keyboard.press("s")
    with page.expect_response(lambda r: r.url.endswith("/annotations/new/")):
        page.keyboard.press("1")
    saved = Annotation.objects.get()
    assert [s.name for s in saved.stances.all()] == [stances[0].name]
    expect(page.locator("#article-body")).to_be_focused()
    page.keyboard.press("n")
    note = page.locator(f"#ann-{saved.pk} textarea[name=note]")
    expect(note).to_be_focused()


def test_question_mark_lists_every_shortcut(seed_article, alice, user_page):
    page = user_page(alice)
    page.goto(seed_article.get_absolute_url())
    page.keyboard.press("?")
    help_ = page.locator("#shortcuts")
    expect(help_).to_be_visible()
    for key in ["s", "{", "}", "[", "]", "j", "k", "e", "n", "Esc", "?"]:
        expect(help_.locator("kbd", has_text=key).first).to_be_visible()
    expect(help_).to_contain_text("Shift")
    page.keyboard.press("Escape")
    expect(help_).to_be_hidden()
