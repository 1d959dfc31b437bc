"""Pages as they sit on the screen: the list on a phone, buttons under their inputs."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

PHONE = {"width": 390, "height": 844}
# The deepest elements, outside a box that scrolls, that reach past the screen's right edge
# (for the failure message).
WIDEST = """
() => Array.from(document.querySelectorAll("body *"))
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter((e) => !e.parentElement.closest(".table-scroll, .chart-scroll"))
  .filter((e) => !Array.from(e.children).some((c) => c.getBoundingClientRect().right > window.innerWidth + 1))
  .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)
"""
DESKTOP = {"width": 1280, "height": 900}

# For each submit button of the page's forms: how far below the nearest input above it
# (in the same form) it starts. A button beside its input is not counted.
BUTTON_GAPS = """
() => Array.from(document.querySelectorAll("main form button[type=submit]"))
  .filter((b) => b.offsetParent !== null)
  .map((button) => {
    const top = button.getBoundingClientRect().top;
    const above = Array.from(button.form.querySelectorAll("input:not([type=hidden]), select, textarea"))
      .map((c) => c.closest("label.chip, label.check") || c)
      .filter((c) => c.offsetParent !== null || c.type === "checkbox")
      .map((c) => c.getBoundingClientRect())
      .filter((r) => r.height > 0 && r.bottom <= top + 1);
    if (!above.length) return null;
    return [button.textContent.trim(), Math.round(top - Math.max(...above.map((r) => r.bottom)))];
  })
  .filter(Boolean)
"""


def test_the_article_list_starts_above_the_fold_on_a_phone(seed_article, alice, user_page):
    page = user_page(alice, viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(reverse("reader:article_list", args=["default"]))
    first = page.locator(".article-row").first
    expect(first).to_be_visible()
    box = first.bounding_box()
    # The first article's title and its details are on the first screen, unscrolled.
    assert box["y"] + box["height"] <= PHONE["height"], box
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path="/tmp/stance-reader-list-phone.png")


def _pages(seed_article, annotation) -> dict[str, str]:
    return {
        "log in": reverse("login"),
        "sign up": reverse("signup"),
        "password change": reverse("password_change"),
        "import": reverse("reader:article_import", args=["default"]),
        "annotation edit": reverse("annotations:edit", args=[annotation.pk]),
    }


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_buttons_have_breathing_room_under_their_inputs(
    viewport, seed_article, alice, make_annotation, new_context, login
):
    annotation = make_annotation(alice, seed_article, "Russia", stance_names=["Russia"])
    gaps = {}
    for name, url in _pages(seed_article, annotation).items():
        context = new_context(viewport=viewport)
        if name not in ("log in", "sign up"):
            login(context, alice)
        page: Page = context.new_page()
        page.goto(url)
        gaps[name] = page.evaluate(BUTTON_GAPS)
        assert gaps[name], f"no button under an input on {name}"
    cramped = {
        name: [(button, gap) for button, gap in found if gap < 12] for name, found in gaps.items()
    }
    assert {name: found for name, found in cramped.items() if found} == {}, gaps


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_search_controls_sit_close_under_their_labels(viewport, alice, user_page):
    """A row of the search form is no taller than its controls (a button's margin once
    pushed the sort box away from its label)."""
    page = user_page(alice, viewport=viewport)
    page.goto(reverse("reader:article_list", args=["default"]))
    form = page.locator("form.search")
    for label, control in (("label[for=q]", "#q"), ("label[for=sort]", "#sort")):
        above = form.locator(label).bounding_box()
        below = form.locator(control).bounding_box()
        assert 0 <= below["y"] - (above["y"] + above["height"]) <= 8, (label, above, below)


def test_the_project_and_study_pages_fit_a_phone_without_sideways_scrolling(
    seed_article, alice, make_annotation, user_page
):
    """A manager on a phone: no page of the project or its study is wider than the screen
    (a wide table scrolls inside its own box, not the page)."""
    from projects.services import membership_set

    membership_set(project=seed_article.project, user=alice, role="manager", curator=True)
    make_annotation(alice, seed_article, "Damascus has denied all the claims of abuse.")
    page = user_page(alice, viewport=PHONE, is_mobile=True, has_touch=True)
    too_wide = {}
    for name, url in {
        "projects": reverse("home") + "?all",
        "codebook": reverse("projects:codebook", args=["default"]),
        "members": reverse("projects:members", args=["default"]),
        "study": reverse("studies:home", args=["default"]),
        "agreement": reverse("studies:agreement", args=["default"]),
        "adjudication": reverse("studies:adjudicate", args=["default", seed_article.slug]),
        "reading": seed_article.get_absolute_url(),
    }.items():
        page.goto(url)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[name] = (width, page.evaluate(WIDEST))
    assert too_wide == {}
