"""The reading page on a phone and on a desktop."""

from __future__ import annotations

from playwright.sync_api import expect

from .helpers import drag_select

PHONE = {"width": 360, "height": 740}


def test_reading_page_fits_a_phone_with_the_annotations_below_the_text(
    seed_article, alice, make_annotation, user_page
):
    make_annotation(
        alice, seed_article, "Damascus has denied all the claims of abuse.", note="A note " * 40
    )
    page = user_page(alice, viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(seed_article.get_absolute_url())
    expect(page.locator("#article-body mark")).to_have_count(1)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    body = page.locator("#article-body").bounding_box()
    panel = page.locator(".annotation-panel").bounding_box()
    assert panel["y"] >= body["y"] + body["height"]
    assert body["x"] >= 0 and body["x"] + body["width"] <= PHONE["width"]
    page.screenshot(path="/tmp/stance-reader-phone.png", full_page=True)

    drag_select(page, "Russia has been a key ally to Syria")
    toolbar = page.locator("#toolbar")
    expect(toolbar).to_be_visible()
    box = toolbar.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert box["y"] + box["height"] <= PHONE["height"]
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path="/tmp/stance-reader-phone-toolbar.png")


def test_reading_page_on_a_desktop_puts_the_annotations_beside_the_text(
    seed_article, alice, make_annotation, user_page
):
    make_annotation(
        alice, seed_article, "Russia has been a key ally to Syria", stance_names=["Russia"]
    )
    page = user_page(alice)
    page.goto(seed_article.get_absolute_url())
    body = page.locator("#article-body").bounding_box()
    panel = page.locator(".annotation-panel").bounding_box()
    assert panel["x"] >= body["x"] + body["width"]
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 1280
    page.screenshot(path="/tmp/stance-reader-desktop.png", full_page=True)
