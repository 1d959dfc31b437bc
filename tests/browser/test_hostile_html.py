"""Imported HTML that tries to drive htmx or the browser sends no request."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from reader import services
from reader.importing.sanitize import build_body
from reader.models import Article

PROBE = "/probe/"

HOSTILE_BLOCKS = [
    ("p", f'<span hx-get="{PROBE}1" hx-trigger="load">Loaded spans must stay inert text.</span>'),
    (
        "p",
        f'<em data-hx-get="{PROBE}2" data-hx-trigger="load">Data-prefixed htmx stays inert.</em>',
    ),
    (
        "p",
        f'<a href="https://example.org/" hx-on:click="fetch(\'{PROBE}3\')">A link with a click handler.</a>',
    ),
    (
        "p",
        f'<button formaction="{PROBE}4" hx-post="{PROBE}5" hx-trigger="load">A button</button> text.',
    ),
    ("p", f'<img src="{PROBE}6" onerror="fetch(\'{PROBE}7\')"> An image that errors.'),
    ("p", f"<a href=\"javascript:fetch('{PROBE}8')\">A javascript link.</a>"),
    (
        "p",
        f'<strong hx-get="{PROBE}9" hx-trigger="every 500ms">Polling every half second.</strong>',
    ),
    (
        "p",
        f'<form action="{PROBE}10"><input name="q" autofocus onfocus="fetch(\'{PROBE}11\')"></form>Form.',
    ),
]

HOSTILE_PAGE = f"""<!doctype html><html><head><title>Hostile page</title></head><body><article>
<h1>Hostile page</h1>
<p hx-get="{PROBE}20" hx-trigger="load">The council met on Tuesday to discuss the budget for the coming year, and members argued for hours about the cost of repairs to the old bridge across the river.</p>
<p data-hx-post="{PROBE}21" data-hx-trigger="load">Several residents spoke in favour of the plan, saying the bridge was unsafe, while others asked why the work had been delayed for so long and who would pay for it.</p>
<div hx-on:load="fetch('{PROBE}22')"><p>The mayor said a decision would be taken next month after engineers had reported on the state of the structure and the likely cost of the work.</p></div>
<p><button formaction="{PROBE}23" hx-post="{PROBE}24" hx-trigger="load">Vote</button> The vote was postponed until the engineers' report is published.</p>
</article></body></html>"""


def _probe_requests(page: Page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url) if PROBE in request.url else None)
    return seen


def _read_and_poke(page: Page, url: str) -> None:
    page.goto(url)
    body = page.locator("#article-body")
    assert body.get_attribute("hx-disable") is not None
    for element in body.locator("a, button, span, em, strong, p").all()[:40]:
        element.click(force=True, no_wait_after=True, modifiers=["Alt"])
    page.wait_for_timeout(1500)  # outlasts the hostile 500 ms polling trigger


@pytest.mark.browser
def test_hostile_inline_markup_sends_no_request(transactional_db, alice, stances, user_page):
    body = build_body(HOSTILE_BLOCKS)
    article = Article(title="Hostile blocks", source_name="test")
    article.set_text(body_html=body.html, text=body.text)
    article.raw_input = b""
    article.assign_slug()
    article.save()
    page = user_page(alice)
    seen = _probe_requests(page)
    _read_and_poke(page, article.get_absolute_url())
    assert seen == []
    html = page.locator("#article-body").inner_html()
    for needle in (
        " hx-",
        "data-hx",
        "onerror",
        "onfocus",
        "formaction",
        "javascript:",
        "<button",
        "<form",
        "<img",
    ):
        assert needle not in html


@pytest.mark.browser
def test_hostile_imported_page_sends_no_request(transactional_db, alice, stances, user_page):
    article = services.article_import(
        raw=HOSTILE_PAGE.encode(), user=alice, filename="hostile.html"
    ).article
    assert "bridge" in article.text
    page = user_page(alice)
    seen = _probe_requests(page)
    _read_and_poke(page, article.get_absolute_url())
    assert seen == []
