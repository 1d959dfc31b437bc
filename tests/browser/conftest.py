"""Playwright in Debian's Chromium against pytest-django's live server.

One browser per session, a fresh context (cookies, storage) per user per test.
Every page fails its test on an uncaught script error, a console error, a
Content-Security-Policy violation, a failed request or an error response, so a
broken script cannot hide behind a passing assertion (PageProblems).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make between browser steps are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright  # noqa: E402

from benchmarks.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(__file__).resolve().parents[3] / "shared"
SEED = SHARED / "samples" / "000_cec687c1fc65c03c.txt"
BENCH_OUT = ROOT / "benchmarks" / "out"
DESKTOP = {"width": 1280, "height": 900}


# ``highlight=START:END`` finds the marks inside that range of the canonical text
# (tests/browser/helpers.highlight).
HIGHLIGHT_ENGINE = """
{
  queryAll(root, range) {
    const [start, end] = range.split(":").map(Number);
    return Array.from(root.querySelectorAll("#article-body mark[data-start]")).filter(
      (m) => Number(m.dataset.start) >= start && Number(m.dataset.end) <= end,
    );
  },
  query(root, range) {
    return this.queryAll(root, range)[0] ?? null;
  },
}
"""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.timeout(60))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"No Chromium at {CHROMIUM}: install Debian's chromium package "
            "(the browser tests never skip silently)."
        )
    with sync_playwright() as playwright:
        playwright.selectors.register("highlight", HIGHLIGHT_ENGINE)
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def stances(transactional_db) -> list:
    """The seeded codebook; the live server's transactional tests flush it, so re-seed."""
    from tests.conftest import seed_stances

    return seed_stances()


class PageProblems:
    """What a person would see go wrong on the pages of one test: uncaught script
    errors, console errors (htmx logs its own there, such as oobErrorNoTarget), CSP
    violations, requests that failed and responses with an error status."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def watch_context(self, context: BrowserContext) -> None:
        context.on("page", self.watch)
        context.on("requestfailed", self._request_failed)
        context.on("response", self._response)

    def watch(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.messages.append(f"page error: {error}"))
        page.on("console", self._console)

    def _console(self, message) -> None:
        text = message.text
        # Chromium also logs each failed load; the network handlers report it with its address.
        if text.startswith("Failed to load resource"):
            return
        if message.type == "error" or "Content Security Policy" in text:
            self.messages.append(f"console {message.type}: {text}")

    def _request_failed(self, request) -> None:
        failure = request.failure or ""
        # The browser dropping a request the page no longer needs (a navigation, a
        # download, htmx replacing the element that asked) is not a failure anyone sees.
        if "ERR_ABORTED" in failure:
            return
        self.messages.append(f"request failed: {request.method} {request.url} {failure}")

    def _response(self, response) -> None:
        if response.status >= 400:
            request = response.request
            self.messages.append(f"response {response.status}: {request.method} {response.url}")

    def unexpected(self, marker: pytest.Mark | None) -> list[str]:
        if marker is None:
            return self.messages
        if not marker.args:
            return []
        return [m for m in self.messages if not any(text in m for text in marker.args)]


@pytest.fixture
def new_context(request, browser: Browser, live_server) -> Iterator[Callable[..., BrowserContext]]:
    """Opens browser contexts; each page opened in them must end the test without a
    problem a person would see (``page_problems_expected`` marks the tests that
    provoke one on purpose)."""
    contexts: list[BrowserContext] = []
    problems = PageProblems()

    def open_context(**options) -> BrowserContext:
        options.setdefault("viewport", DESKTOP)
        options.setdefault("base_url", live_server.url)
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        problems.watch_context(context)
        contexts.append(context)
        return context

    yield open_context
    # Read before closing: closing cancels what is still in flight.
    seen = problems.unexpected(request.node.get_closest_marker("page_problems_expected"))
    seen = list(seen)
    for context in contexts:
        context.close()
    assert seen == []


@pytest.fixture
def page(new_context) -> Page:
    return new_context().new_page()


@pytest.fixture
def login(live_server) -> Callable[[BrowserContext, object], None]:
    """Signs a user in to a context by giving it a fresh session cookie."""
    from django.conf import settings
    from django.test import Client

    def sign_in(context: BrowserContext, user) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )

    return sign_in


@pytest.fixture
def user_page(new_context, login) -> Callable[..., Page]:
    """A page in a new context signed in as the given user."""

    def open_page(user, **options) -> Page:
        context = new_context(**options)
        login(context, user)
        page = context.new_page()
        return page

    return open_page


@pytest.fixture
def seed_article(transactional_db, alice, stances):
    from reader import services

    return services.article_import(raw=SEED.read_bytes(), user=alice, filename=SEED.name).article
