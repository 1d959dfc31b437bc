"""The guard every browser test runs under sees what a person would see go wrong."""

from __future__ import annotations

from .conftest import PageProblems


def test_the_guard_sees_console_errors_failed_requests_and_error_responses(
    browser, live_server, alice, login
):
    problems = PageProblems()
    context = browser.new_context(base_url=live_server.url)
    problems.watch_context(context)
    login(context, alice)
    page = context.new_page()
    page.route("**/unreachable/", lambda route: route.abort("connectionrefused"))
    page.goto("/")
    page.evaluate("console.error('htmx:oobErrorNoTarget', '#ann-1')")
    page.evaluate("fetch('/articles/no-such-article/').catch(() => {})")
    page.evaluate("fetch('/unreachable/').catch(() => {})")
    page.wait_for_timeout(300)
    context.close()
    messages = "\n".join(problems.messages)
    assert "console error: htmx:oobErrorNoTarget #ann-1" in messages
    assert "response 404: GET" in messages
    assert (
        f"request failed: GET {live_server.url}/unreachable/ net::ERR_CONNECTION_REFUSED"
        in messages
    )


def test_the_opt_out_allows_only_what_it_names():
    problems = PageProblems()
    problems.messages = ["response 409: POST /annotations/1/edit/", "console error: boom"]

    class Mark:
        args = ("response 409",)

    assert problems.unexpected(Mark()) == ["console error: boom"]
    assert problems.unexpected(None) == problems.messages
